// Custom search attributes: Keyword only, and never personal data (no names, no ID numbers).
import { defineSearchAttributeKey } from '@temporalio/common';

export const SEARCH_ATTRIBUTE_DEFINITIONS = {
  DoudiRegion: 'Keyword', // township code of the case
  DoudiCaseStatus: 'Keyword',
  DoudiProcess: 'Keyword', // the process key (engine/definition.ts `name`)
} as const;

export const REGION_KEY = defineSearchAttributeKey('DoudiRegion', 'KEYWORD');
export const CASE_STATUS_KEY = defineSearchAttributeKey('DoudiCaseStatus', 'KEYWORD');
export const PROCESS_KEY = defineSearchAttributeKey('DoudiProcess', 'KEYWORD');
