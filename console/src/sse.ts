import { useEffect, useRef, useState } from 'preact/hooks';

export type StreamState = 'connecting' | 'live' | 'retrying' | 'ended';

/**
 * Listens to a server-sent event stream of the admin API (the session cookie goes along, same origin).
 * EventSource reconnects by itself after a dropped connection; when the server refuses the stream (the
 * browser then gives up for good) this opens it again after a pause. `end` events close it.
 */
export function useEventStream(
  url: string | undefined,
  handlers: Record<string, (data: string) => void>,
  endEvent?: string,
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const events = Object.keys(handlers).join(',');

  useEffect(() => {
    if (!url) return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let delay = 2000;

    const open = () => {
      setState('connecting');
      source = new EventSource(url);
      source.onopen = () => {
        delay = 2000;
        setState('live');
      };
      for (const name of events.split(',').filter(Boolean)) {
        source.addEventListener(name, (e) => handlersRef.current[name]?.((e as MessageEvent<string>).data));
      }
      if (endEvent) {
        source.addEventListener(endEvent, () => {
          stopped = true;
          source?.close();
          setState('ended');
        });
      }
      source.onerror = () => {
        if (stopped) return;
        if (source?.readyState === EventSource.CLOSED) {
          setState('retrying');
          retry = setTimeout(open, delay);
          delay = Math.min(delay * 2, 30_000);
        } else {
          setState('retrying');
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [url, events, endEvent]);

  return state;
}

export const STREAM_LABELS: Record<StreamState, string> = {
  connecting: 'Đang kết nối…',
  live: 'Cập nhật trực tiếp',
  retrying: 'Mất kết nối, đang thử lại…',
  ended: 'Đã kết thúc',
};
