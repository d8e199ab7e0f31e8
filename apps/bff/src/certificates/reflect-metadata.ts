/**
 * The part of the Reflect metadata API that tsyringe (a dependency of @peculiar/x509) checks for
 * and calls: get/getOwn/define. @peculiar/x509 asks its users for a polyfill ("Reflect Polyfill
 * Required" in its README); its injectables take no constructor arguments, so these three calls
 * on a WeakMap are all it needs. Import this module before @peculiar/x509.
 */
type MetadataMap = Map<unknown, unknown>;

const store = new WeakMap<object, MetadataMap>();
const reflect = Reflect as unknown as Record<string, unknown>;

function own(target: object): MetadataMap | undefined {
  return store.get(target);
}

if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key: unknown, value: unknown, target: object): void => {
    let map = own(target);
    if (!map) {
      map = new Map();
      store.set(target, map);
    }
    map.set(key, value);
  };
  reflect.getOwnMetadata = (key: unknown, target: object): unknown => own(target)?.get(key);
  reflect.getMetadata = (key: unknown, target: object): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const map = own(t);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}

export {};
