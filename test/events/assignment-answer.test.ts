import { describe, expect, it } from 'vitest';
import { readAssignmentAnswer } from '../../src/events/assignment-instruction.js';

describe('assignment callback answers', () => {
  it('asks for nothing now when empty, not JSON, or without an instruction', () => {
    for (const body of ['', '  ', 'OK', '[]', 'null', '{}', '{"instruction":""}']) {
      expect(readAssignmentAnswer(body), body).toEqual({ kind: 'later' });
    }
  });

  it('reads accept and reject as reservation status updates, whatever the case', () => {
    expect(readAssignmentAnswer('{"instruction":"Accept"}')).toMatchObject({ kind: 'update', input: { reservationStatus: 'accepted' } });
    expect(readAssignmentAnswer('{"instruction":"reject","activity_sid":"WA1"}')).toMatchObject({
      kind: 'update',
      input: { reservationStatus: 'rejected', workerActivitySid: 'WA1' },
    });
    expect(readAssignmentAnswer('{"instruction":"reject"}')).toMatchObject({ input: { reservationStatus: 'rejected', workerActivitySid: undefined } });
  });

  it('names redirect parameters as the REST API does', () => {
    const answer = readAssignmentAnswer(JSON.stringify({ instruction: 'redirect', call_sid: 'CA1', url: 'https://x/y', accept: true }));
    expect(answer).toEqual({
      kind: 'update',
      instruction: 'redirect',
      input: { instruction: 'redirect', instructionParams: { RedirectCallSid: 'CA1', RedirectUrl: 'https://x/y', RedirectAccept: 'true' } },
    });
  });

  it('names conference parameters by their PascalCase, lists kept as lists', () => {
    const answer = readAssignmentAnswer(
      JSON.stringify({
        instruction: 'conference',
        to: 'client:alice',
        from: '+18005550100',
        post_work_activity_sid: 'WA2',
        end_conference_on_exit: false,
        max_participants: 10,
        conference_status_callback_event: ['start', 'end'],
        ignored: { nested: true },
      }),
    );
    expect(answer).toMatchObject({
      kind: 'update',
      input: {
        instruction: 'conference',
        instructionParams: {
          To: 'client:alice',
          From: '+18005550100',
          PostWorkActivitySid: 'WA2',
          EndConferenceOnExit: 'false',
          MaxParticipants: '10',
          ConferenceStatusCallbackEvent: ['start', 'end'],
        },
      },
    });
    expect(Object.keys((answer as { input: { instructionParams: object } }).input.instructionParams)).not.toContain('Ignored');
  });

  it('reports instructions it does not know', () => {
    expect(readAssignmentAnswer('{"instruction":"teleport"}')).toEqual({ kind: 'unsupported', instruction: 'teleport' });
  });
});
