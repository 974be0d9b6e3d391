import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice, PageHeader } from '../shared/ui.tsx';
import { ActivitiesSection } from './activities.tsx';
import { EventsSection } from './events.tsx';
import { IvrMenusSection } from './ivr-menus.tsx';
import { PhoneNumbersSection } from './phone-numbers.tsx';
import type { Workspace } from './records.ts';
import { useLoaded } from './resource-hooks.ts';
import type { SectionProps } from './section.ts';
import { TaskQueuesSection } from './task-queues.tsx';
import { WorkersSection } from './workers.tsx';
import { WorkflowsSection } from './workflows.tsx';
import { WorkspacePicker, WorkspaceSettings } from './workspaces.tsx';

const SECTIONS = [
  ['workspace', 'Workspace', WorkspaceSettings],
  ['activities', 'Activities', ActivitiesSection],
  ['queues', 'Task queues', TaskQueuesSection],
  ['workflows', 'Workflows', WorkflowsSection],
  ['workers', 'Workers', WorkersSection],
  ['numbers', 'Phone numbers', PhoneNumbersSection],
  ['menus', 'IVR menus', IvrMenusSection],
  ['events', 'Events', EventsSection],
] as const;

type SectionId = (typeof SECTIONS)[number][0];

/**
 * The console once signed in: the workspace being administered (any of the account's, or the admin token's own),
 * the sections down the side, and the chosen section.
 */
export function Console(props: { api: Api; who: string; onSignOut: () => void; workspaceSid: string | null }) {
  const accountWide = props.workspaceSid === null;
  const workspaces = useLoaded<Workspace>(
    () =>
      accountWide
        ? props.api.list<Workspace>('/v1/Workspaces', 'workspaces')
        : props.api.get<Workspace>(`/v1/Workspaces/${props.workspaceSid}`).then((w) => [w]),
    'workspaces',
  );
  const [chosen, setChosen] = useState<string | null>(props.workspaceSid);
  const [section, setSection] = useState<SectionId>('queues');
  const workspaceSid = chosen ?? workspaces.items?.[0]?.sid ?? null;
  const Section = SECTIONS.find(([id]) => id === section)![2];
  const sectionProps: SectionProps | null = workspaceSid ? { api: props.api, workspaceSid, accountWide } : null;
  return (
    <>
      <PageHeader current="/admin" who={props.who} onSignOut={props.onSignOut} />
      <div class="admin-layout">
        <aside class="admin-side">
          <WorkspacePicker
            api={props.api}
            workspaces={workspaces.items ?? []}
            chosen={workspaceSid}
            accountWide={accountWide}
            onChoose={setChosen}
            onCreated={(sid) => {
              setChosen(sid);
              workspaces.reload();
            }}
          />
          <nav aria-label="Sections" class="admin-sections">
            {SECTIONS.map(([id, label]) => (
              <button type="button" class="section-link" aria-current={id === section ? 'page' : undefined} onClick={() => setSection(id)}>
                {label}
              </button>
            ))}
          </nav>
        </aside>
        <main class="admin-main">
          {workspaces.error && <Notice>{workspaces.error}</Notice>}
          {workspaces.items && !sectionProps && <Notice kind="info">Create a workspace to begin.</Notice>}
          {sectionProps && <Section key={`${workspaceSid}-${section}`} {...sectionProps} onWorkspaceChanged={workspaces.reload} />}
        </main>
      </div>
    </>
  );
}
