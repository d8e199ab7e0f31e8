/**
 * The distinctive end of an OCID. OCIDs read `ocid1.<type>.<realm>.[region].<unique>`, so a column
 * cut after the first 20 characters shows the same `ocid1.compartment.oc…` for every compartment;
 * the unique part is what tells them apart. Long unique parts keep their last `max` characters.
 */
export function ocidTail(ocid: string, max = 12): string {
  const dot = ocid.lastIndexOf('.');
  const unique = dot >= 0 && dot < ocid.length - 1 ? ocid.slice(dot + 1) : ocid;
  return unique.length > max ? `…${unique.slice(-max)}` : `…${unique}`;
}
