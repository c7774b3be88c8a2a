// One schema step, shared in shape by both dialects.
export interface Migration {
  version: number;
  description: string;
  sql: string;
}
