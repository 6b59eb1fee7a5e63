// `tools`, `tool_choice` and `parallel_tool_calls` of a chat request. Tool schemas are rendered into the
// prompt (chat-template.ts); the served model (tiny random weights) cannot produce tool calls, so a
// tool_choice that forces one ("required", or a named function) is refused with `unsupported_value`
// rather than answered with a reply that silently ignores it. `parallel_tool_calls` is accepted and,
// since no calls are ever produced, changes nothing; "none" and "auto" do not change the prompt.
import type { ToolSpec } from './chat-template.js';
import { describeValue, invalid, issue400, type Parsed } from './generate-input.js';
import { NAME_PATTERN } from './validate-messages.js';

/** OpenAI's limit on the number of tools of one request. */
export const MAX_TOOLS = 128;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKey(obj: Obj, allowed: readonly string[], param: string) {
  const extra = Object.keys(obj).find((k) => !allowed.includes(k));
  return extra === undefined
    ? undefined
    : issue400(
        'unknown_parameter',
        `${param}.${extra}`,
        `Unrecognized field ${param}.${extra}; accepted: ${allowed.join(', ')}`,
      );
}

function parseTool(t: unknown, param: string): Parsed<ToolSpec> {
  if (!isObject(t)) return invalid(param, `${param} must be {"type": "function", "function": {…}}`);
  const extra = unknownKey(t, ['type', 'function'], param);
  if (extra !== undefined) return extra;
  if (t.type !== 'function')
    return invalid(`${param}.type`, `${param}.type must be "function", got ${describeValue(t.type)}`);
  const f = t.function;
  if (!isObject(f))
    return invalid(`${param}.function`, `${param}.function must be {"name", "description"?, "parameters"?}`);
  const fExtra = unknownKey(f, ['name', 'description', 'parameters', 'strict'], `${param}.function`);
  if (fExtra !== undefined) return fExtra;
  if (typeof f.name !== 'string' || !NAME_PATTERN.test(f.name)) {
    return invalid(`${param}.function.name`, `${param}.function.name must match ${NAME_PATTERN.source}`);
  }
  if (f.description !== undefined && f.description !== null && typeof f.description !== 'string') {
    return invalid(`${param}.function.description`, `${param}.function.description must be a string`);
  }
  if (f.parameters !== undefined && f.parameters !== null && !isObject(f.parameters)) {
    return invalid(`${param}.function.parameters`, `${param}.function.parameters must be a JSON Schema object`);
  }
  if (f.strict !== undefined && f.strict !== null && typeof f.strict !== 'boolean') {
    return invalid(`${param}.function.strict`, `${param}.function.strict must be true or false`);
  }
  return {
    ok: true,
    value: {
      name: f.name,
      ...(typeof f.description === 'string' ? { description: f.description } : {}),
      ...(isObject(f.parameters) ? { parameters: f.parameters } : {}),
      ...(typeof f.strict === 'boolean' ? { strict: f.strict } : {}),
    },
  };
}

/** Validates the tool fields of a chat body; returns the tools to render ([] when none). */
export function parseTools(body: Obj): Parsed<ToolSpec[]> {
  const tools: ToolSpec[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) return invalid('tools', 'tools must be an array of function tools');
    if (body.tools.length > MAX_TOOLS) {
      return invalid('tools', `tools holds ${body.tools.length} tools; at most ${MAX_TOOLS} are accepted`);
    }
    for (let i = 0; i < body.tools.length; i++) {
      const tool = parseTool(body.tools[i], `tools[${i}]`);
      if (!tool.ok) return tool;
      if (tools.some((t) => t.name === tool.value.name)) {
        return invalid(
          `tools[${i}].function.name`,
          `tools[${i}].function.name ${describeValue(tool.value.name)} repeats an earlier tool`,
        );
      }
      tools.push(tool.value);
    }
  }
  const ptc = body.parallel_tool_calls;
  if (ptc !== undefined && ptc !== null && typeof ptc !== 'boolean') {
    return invalid('parallel_tool_calls', `parallel_tool_calls must be true or false, got ${describeValue(ptc)}`);
  }
  const choice = toolChoiceIssue(body.tool_choice, tools);
  return choice ?? { ok: true, value: tools };
}

const CANNOT_CALL =
  'this server\'s model (tiny random weights) cannot produce tool calls: use tool_choice "auto" or "none" (tool schemas, calls and results in messages are still rendered into the prompt)';

function toolChoiceIssue(
  choice: unknown,
  tools: readonly ToolSpec[],
): { ok: false; issue: ReturnType<typeof invalid>['issue'] } | undefined {
  if (choice === undefined || choice === null || choice === 'none' || choice === 'auto') return undefined;
  if (choice === 'required') {
    if (tools.length === 0) return invalid('tool_choice', 'tool_choice "required" needs tools');
    return issue400(
      'unsupported_value',
      'tool_choice',
      `tool_choice "required" forces a tool call, but ${CANNOT_CALL}`,
    );
  }
  if (isObject(choice) && choice.type === 'function' && isObject(choice.function)) {
    const name = choice.function.name;
    if (typeof name !== 'string' || !tools.some((t) => t.name === name)) {
      return invalid(
        'tool_choice.function.name',
        `tool_choice names ${describeValue(name)}, which is not one of the tools`,
      );
    }
    return issue400(
      'unsupported_value',
      'tool_choice',
      `tool_choice forces a call of ${describeValue(name)}, but ${CANNOT_CALL}`,
    );
  }
  return invalid(
    'tool_choice',
    `tool_choice must be "none", "auto", "required" or {"type": "function", "function": {"name"}}, got ${describeValue(choice)}`,
  );
}
