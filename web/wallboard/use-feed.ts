import { useEffect, useState } from 'preact/hooks';
import { BoardFeed, type BoardSession } from './feed.ts';

/** The live board of `session`, re-rendering the caller whenever it changes; the feed closes with the component. */
export function useFeed(session: BoardSession, thresholdSeconds: number): BoardFeed {
  const [, setVersion] = useState(0);
  const [feed] = useState(() => new BoardFeed(session, thresholdSeconds, () => setVersion((v) => v + 1)));
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  useEffect(() => {
    feed.setThreshold(thresholdSeconds);
  }, [feed, thresholdSeconds]);
  return feed;
}
