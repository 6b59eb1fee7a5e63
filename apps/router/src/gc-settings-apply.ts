// Applies the router's V8 heap setting (gc-settings.ts) as this module is evaluated: main.ts imports it
// first, so it runs before any other module of the router allocates.
import { setFlagsFromString } from 'node:v8';
import { routerV8Flags } from './gc-settings.js';

for (const flag of routerV8Flags(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
