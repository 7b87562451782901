// Reference data read once per page load: region names (codes never appear where a person reads) and task forms.
import { useEffect, useState } from 'react';
import { api } from './client';

export interface Region { code: string; name: string; level: 'COUNTY' | 'TOWNSHIP' | 'VILLAGE'; parentCode: string | null }

let regions: Promise<Region[]> | undefined;
export function loadRegions(): Promise<Region[]> {
  regions ??= api<{ items: Region[] }>('/regions').then((r) => r.items).catch((e) => { regions = undefined; throw e; });
  return regions;
}

/** Region names by code; a village's township when the village itself is not named. */
export function useRegions(): { list: Region[]; name: (code: string | null | undefined) => string } {
  const [list, setList] = useState<Region[]>([]);
  useEffect(() => { loadRegions().then(setList, () => undefined); }, []);
  const byCode = new Map(list.map((r) => [r.code, r.name]));
  return { list, name: (code) => (code ? byCode.get(code) ?? byCode.get(code.slice(0, 9)) ?? code : '—') };
}
