import type { TraceFormat } from '../types.js';
import { createAgentParser } from './agent-parser.js';
import { createAzureParser } from './azure-parser.js';
import { createCopilotParser } from './copilot-parser.js';
import type { LineParser } from './line-parser.js';
import { createMooncakeParser } from './mooncake-parser.js';
import { createWekaParser } from './weka-parser.js';

/** A fresh (stateful) parser for one trace of the given format. */
export function createLineParser(format: TraceFormat): LineParser {
  switch (format) {
    case 'mooncake':
      return createMooncakeParser();
    case 'azure':
      return createAzureParser();
    case 'agent':
      return createAgentParser();
    case 'weka':
      return createWekaParser();
    case 'copilot':
      return createCopilotParser();
  }
}
