// The events this person's authority may see, live: the hub's feed (events.subscribe, server-sent
// events) followed while the console is open, and an unread count kept against the last event the
// person has seen on the notifications page (remembered in this browser).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC, type Outputs } from './trpc.js';

export type HubEvent = Outputs['events']['list']['items'][number];

type Notifications = {
  /** Events since the last one seen, newest first (at most UNREAD_MAX). */
  unread: HubEvent[];
  /** Whether the live feed is connected. */
  live: boolean;
  /** Marks everything up to the newest event as seen. */
  markAllRead: () => void;
};

export const UNREAD_MAX = 500;
const seenKey = (personId: string) => `ccx:events-seen:${personId}`;

const NotificationsContext = createContext<Notifications>({ unread: [], live: false, markAllRead: () => {} });

export const useNotifications = (): Notifications => useContext(NotificationsContext);

const byNewest = (a: HubEvent, b: HubEvent) =>
  BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0;

export const NotificationsProvider = ({ personId, children }: { personId: string; children: ReactNode }) => {
  const trpc = useTRPC();
  const [seen, setSeen] = useState<string | null>(() => window.localStorage.getItem(seenKey(personId)));
  const [fresh, setFresh] = useState<HubEvent[]>([]);
  // First visit in this browser: what is already there counts as seen.
  const head = useQuery({ ...trpc.events.list.queryOptions({ latest: 1 }), enabled: seen === null });
  useEffect(() => {
    if (seen !== null || !head.data) return;
    const last = head.data.items.at(-1)?.id ?? '0';
    window.localStorage.setItem(seenKey(personId), last);
    setSeen(last);
  }, [seen, head.data, personId]);
  const backlog = useQuery({
    ...trpc.events.list.queryOptions({ since: seen ?? '0', limit: UNREAD_MAX }),
    enabled: seen !== null,
    staleTime: Infinity,
  });
  const from = backlog.data ? (backlog.data.items.at(-1)?.id ?? seen) : null;
  const subscription = useSubscription(
    trpc.events.subscribe.subscriptionOptions(from === null ? {} : { lastEventId: from }, {
      enabled: from !== null,
      onData: (message) => {
        const event = (
          'data' in message && 'id' in message && typeof message.data === 'object' ? message.data : message
        ) as HubEvent;
        setFresh((list) =>
          list.some((e) => e.id === event.id) ? list : [event, ...list].slice(0, UNREAD_MAX),
        );
      },
    }),
  );
  const value = useMemo<Notifications>(() => {
    const earlier = backlog.data?.items ?? [];
    const all = [...fresh, ...earlier.filter((e) => !fresh.some((f) => f.id === e.id))]
      .filter((e) => seen === null || BigInt(e.id) > BigInt(seen))
      .sort(byNewest)
      .slice(0, UNREAD_MAX);
    return {
      unread: all,
      // 'pending' is tRPC's word for connected and waiting for the next event.
      live: subscription.status === 'pending',
      markAllRead: () => {
        const newest = all[0]?.id;
        if (!newest) return;
        window.localStorage.setItem(seenKey(personId), newest);
        setSeen(newest);
      },
    };
  }, [fresh, backlog.data, seen, subscription.status, from, personId]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
};
