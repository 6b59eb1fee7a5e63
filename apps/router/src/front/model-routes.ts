// GET /v1/models (and the object GET /v1/models/{id} answers, fallback-routes.ts): OpenAI's model object
// plus vLLM's `root`, `parent` and `max_model_len` (the context limit, core/context-window.ts; null while no
// decode worker is registered).
export function modelObject(id: string, contextTokens: number | undefined): Record<string, unknown> {
  return {
    id,
    object: 'model',
    created: 0,
    owned_by: 'oicf',
    root: id,
    parent: null,
    max_model_len: contextTokens ?? null,
  };
}

export function modelList(id: string, contextTokens: number | undefined): Record<string, unknown> {
  return { object: 'list', data: [modelObject(id, contextTokens)] };
}
