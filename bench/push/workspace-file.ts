/**
 * The push benchmark's workspace as a configuration file (docs/configuration-file.md), applied by the server at
 * start as an operator's SWITCHBOARD_CONFIG would be: WORKERS workers, available, capacity 1 on the voice channel
 * (a new workspace's default), one queue of them all, and a workflow sending every task there. Ten thousand workers
 * through the REST API take about a minute on a 2-core machine; applied at start, a few seconds.
 */
import { writeFileSync } from 'node:fs';

export const WORKSPACE_NAME = 'Push bench';

/** Writes the file to `path`. Workers are named `agent-0`, `agent-1`…, created in that order. */
export function writeWorkspaceFile(path: string, workers: number): void {
  const lines = [
    'workspaces:',
    `  - friendly_name: ${WORKSPACE_NAME}`,
    '    task_queues:',
    '      - friendly_name: All',
    "        target_workers: '1==1'",
    '    workflows:',
    '      - friendly_name: All',
    '        configuration:',
    '          task_routing:',
    '            filters: []',
    '            default_filter:',
    '              queue: All',
    '    workers:',
  ];
  for (let i = 0; i < workers; i++) lines.push(`      - friendly_name: agent-${i}`, '        activity: Available');
  writeFileSync(path, lines.join('\n') + '\n');
}
