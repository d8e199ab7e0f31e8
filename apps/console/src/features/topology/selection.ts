import { createContext, useContext } from 'react';

export type TopologySelection = { kind: 'node' | 'edge'; id: string } | null;

/** Lets edge labels select their edge without putting callbacks into edge data. */
export const SelectTopologyContext = createContext<(selection: TopologySelection) => void>(
  () => undefined,
);

export function useSelectTopology() {
  return useContext(SelectTopologyContext);
}
