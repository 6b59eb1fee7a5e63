/**
 * Generated fixtures of the session formats: kv-cache-tester conversations (`weka`), GitHub Copilot
 * coding-agent sessions (`copilot`) and Mooncake lines with `session_id`. Field names and nesting
 * follow the public sources cited in docs/traces.md §2; the numbers are small so every statistic a
 * test asserts is derived by hand in that test from the values below.
 */

/**
 * Two kv-cache-tester conversations, one per line, 4-token blocks. Both use local ids 1 and 2 for
 * different text (the reader must not merge them). conv-a has a streaming/non-streaming pair
 * (a0, a1: same prompt) and a subagent spawned at t = 8 whose inner t counts from the spawn.
 */
export function wekaSmall(): string {
  const convA = {
    id: 'conv-a',
    models: ['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001'],
    block_size: 4,
    tool_tokens: 4,
    system_tokens: 0,
    requests: [
      {
        t: 0.0,
        type: 's',
        model: 'claude-opus-4-5-20251101',
        in: 10,
        out: 3,
        hash_ids: [1, 2],
        input_types: ['text'],
        output_types: ['text'],
        stop: '',
        api_time: 2.0,
        think_time: 0.0,
      },
      {
        t: 5.0,
        type: 'n',
        model: 'claude-opus-4-5-20251101',
        in: 10,
        out: 4,
        hash_ids: [1, 2],
        input_types: [],
        output_types: ['tool_use'],
        stop: 'tool_use',
        api_time: 1.0,
      },
      {
        t: 8.0,
        type: 'subagent',
        agent_id: 'a44c0618',
        subagent_type: 'Explore',
        duration_ms: 4000,
        total_tokens: 18,
        tool_use_count: 1,
        status: 'completed',
        models: ['claude-haiku-4-5-20251001'],
        tool_tokens: 0,
        system_tokens: 0,
        requests: [
          { t: 0.0, type: 'n', model: 'claude-haiku-4-5-20251001', in: 6, out: 2, hash_ids: [7] },
          { t: 2.0, type: 'n', model: 'claude-haiku-4-5-20251001', in: 9, out: 1, hash_ids: [7, 8] },
        ],
      },
      {
        t: 20.0,
        type: 's',
        model: 'claude-opus-4-5-20251101',
        in: 17,
        out: 5,
        hash_ids: [1, 2, 3, 4],
        input_types: ['tool_result'],
        output_types: ['text'],
        stop: 'end_turn',
        think_time: 4.0,
      },
    ],
  };
  const convB = {
    id: 'conv-b',
    models: ['claude-opus-4-5-20251101'],
    block_size: 4,
    hash_id_scope: 'local',
    requests: [
      { t: 0.0, type: 's', model: 'claude-opus-4-5-20251101', in: 8, out: 2, hash_ids: [1, 2] },
      { t: 3.0, type: 's', model: 'claude-opus-4-5-20251101', in: 13, out: 1, hash_ids: [1, 2, 5] },
    ],
  };
  return `${JSON.stringify(convA)}\n${JSON.stringify(convB)}\n`;
}

/**
 * One conversation pretty-printed over many lines, as agentic-coding-analysis writes a trace file
 * (indented objects, id arrays on one line), with `hash_id_scope: "global"`.
 */
export function wekaPretty(): string {
  const conv = {
    id: 'conv-c',
    models: ['claude-sonnet-4-20250514'],
    block_size: 4,
    hash_id_scope: 'global',
    tool_tokens: 4,
    system_tokens: 0,
    requests: [
      {
        t: 0.0,
        type: 'n',
        model: 'claude-sonnet-4-20250514',
        in: 9,
        out: 2,
        hash_ids: [1, 2],
        stop: 'tool_use',
        api_time: 1.5,
        think_time: 0.0,
      },
      {
        t: 4.0,
        type: 'n',
        model: 'claude-sonnet-4-20250514',
        in: 12,
        out: 3,
        hash_ids: [1, 2, 3],
        stop: 'end_turn',
        api_time: 2.0,
        think_time: 2.5,
      },
    ],
  };
  // Indent like json.dumps(indent=2) but keep number arrays on one line (agentic-coding-analysis' compact_json).
  return `${JSON.stringify(conv, null, 2).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`)}\n`;
}

/** kv-cache-tester lines with one fault each (physical line numbers in the comments). */
export function wekaBad(): string {
  const ok = (id: string) =>
    JSON.stringify({ id, block_size: 4, requests: [{ t: 0, type: 'n', in: 8, out: 1, hash_ids: [1, 2] }] });
  return [
    ok('good-1'), // 1 ok
    JSON.stringify({
      id: 'short',
      block_size: 4,
      requests: [
        { t: 0, type: 'n', in: 8, out: 1, hash_ids: [1, 2] },
        { t: 1, type: 'n', in: 13, out: 1, hash_ids: [1] },
      ],
    }), // 2 needs 3 ids
    ok('good-1'), // 3 id used on line 1
    '{', // 4 a record left open: lines 4-5 are one bad record
    '  "id": "open", "block_size": 4, "requests": [{"t": 0, "type": "x", "in": 4, "out": 1, "hash_ids": [1]}]',
    '}', // 6 closes it: type "x" is not a request type
    ok('good-2'), // 7 ok
    '',
  ].join('\n');
}

/**
 * Two Copilot coding-agent sessions, one per line (the dataset's layout, gzip aside). s1 has calls
 * out of timestamp order in its file (c3 before c2 in time), a call of a second model, a tool batch
 * and a cancelled call with no prompt; s2's first call reports cached tokens (the model-wide prefix)
 * and a timestamp with a +01:00 zone.
 */
export function copilotSmall(): string {
  const call = (
    id: string,
    timestamp: string,
    durationMs: number,
    model: string,
    prompt: number,
    completion: number,
    cached: number,
    initiator: string,
    result = 'Success',
  ) => ({
    message_id: id,
    timestamp,
    duration_ms: durationMs,
    initiator_type: initiator,
    model,
    result,
    status_code: 'OK',
    tokens: {
      total: prompt + completion,
      prompt,
      completion,
      cached,
      cached_pct: prompt === 0 ? 0 : Math.round((cached / prompt) * 1e4) / 100,
    },
    message_metadata: [{ type: 'System', role: 'system', sequenceId: 0, token_len: Math.min(prompt, 64) }],
  });
  const s1 = {
    session_id: 's1',
    date: '2026-06-01',
    turns: [
      {
        turn_id: 't1-0',
        llm_calls: [
          call('m1', '2026-06-01T10:00:00.000Z', 2000, 'Model A', 300, 20, 0, 'user'),
          call('m2', '2026-06-01T10:00:05.000Z', 1000, 'Model A', 400, 10, 256, 'agent'),
          call('m3', '2026-06-01T10:00:04.000Z', 500, 'tool-model', 130, 5, 0, 'agent'),
        ],
        tool_batches: [
          {
            timestamp: '2026-06-01T10:00:02.000Z',
            duration_ms: 1500,
            auto_continue: true,
            result: 'Success',
            request_id: 'm1',
            function_calls: [{ name: 'read_file', status: 1, duration_ms: 1400 }],
          },
        ],
      },
      {
        turn_id: 't1-1',
        llm_calls: [
          call('m4', '2026-06-01T10:01:00.000Z', 3000, 'Model A', 640, 30, 384, 'user'),
          call('m5', '2026-06-01T10:01:10.000Z', 100, 'Model A', 0, 0, 0, 'agent', 'UserCancel'),
        ],
        tool_batches: [],
      },
    ],
  };
  const s2 = {
    session_id: 's2',
    date: '2026-06-01',
    turns: [
      {
        turn_id: 't2-0',
        llm_calls: [
          call('n1', '2026-06-01T10:00:30Z', 1000, 'Model A', 200, 8, 128, 'user'),
          call('n2', '2026-06-01T11:00:31.5+01:00', 500, 'Model A', 256, 0, 200, 'agent'),
        ],
      },
    ],
  };
  return `${JSON.stringify(s1)}\n${JSON.stringify(s2)}\n`;
}

/**
 * Mooncake lines with the optional `session_id` (and `delay`, ms): session s1 has three turns, the
 * line at 1 s has no session (open-loop) and session 7 (an integer id) one turn.
 */
export function mooncakeSessions(): string {
  const rows = [
    { timestamp: 0, input_length: 600, output_length: 10, hash_ids: [0, 1], session_id: 's1' },
    { timestamp: 1000, input_length: 700, output_length: 5, hash_ids: [7, 8] },
    { timestamp: 4000, input_length: 1100, output_length: 20, hash_ids: [0, 2, 3], session_id: 's1', delay: 2500 },
    { timestamp: 5000, input_length: 520, output_length: 3, hash_ids: [0, 9], session_id: 7 },
    { timestamp: 9000, input_length: 1600, output_length: 1, hash_ids: [0, 2, 4, 5], session_id: 's1' },
  ];
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}
