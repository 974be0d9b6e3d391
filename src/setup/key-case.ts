/** A wire name as records name it: `target_workers` → `targetWorkers`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
