import { useEffect, useMemo, useRef, useState } from 'react';
import { parseCast, type ParsedCast } from '../../../../shared/terminal';
import { castKey } from '../../store/terminals-slice';
import type { CastRef } from '../../store/state/terminals';
import { useApp } from '../../store';
import { apply, compressIdle, play } from './cast-playback';
import { createXterm, type XtermHandle } from './create-xterm';
import './terminal.css';

const speeds = [1, 2, 4, 8];

/**
 * Plays a terminal recording (asciicast v2) back in a read-only xterm, for the incident view:
 * `<CastPlayer recording={{ attachmentId: event.payload.attachmentId }} />` for a
 * `terminal.recording` event, or `{ castId }` for one listed by terminals.recordings.
 */
export function CastPlayer({ recording }: { recording: CastRef }) {
  const key = castKey(recording);
  const text = useApp((s) => s.casts[key]);
  const hostRef = useRef<HTMLDivElement>(null);
  const handleRef = useRef<XtermHandle | undefined>(undefined);
  const stopRef = useRef<() => void>(() => undefined);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);

  useEffect(() => {
    if (text === undefined) void useApp.getState().castRequested(recording);
    // The key names the recording; a new object with the same ids must not reload it.
  }, [key, text]);

  const parsed = useMemo<ParsedCast | Error | undefined>(() => {
    if (text === undefined) return undefined;
    try {
      const cast = parseCast(text);
      return { ...cast, events: compressIdle(cast.events) };
    } catch (error) {
      return error as Error;
    }
  }, [text]);

  useEffect(() => {
    if (!parsed || parsed instanceof Error || !hostRef.current) return;
    const { gpu, fontSize } = useApp.getState().terminalPrefs;
    const handle = createXterm(hostRef.current, {
      cols: parsed.header.width,
      rows: parsed.header.height,
      disableStdin: true,
      cursorBlink: false,
      scrollback: 10_000,
      gpu,
      fontSize,
    });
    handleRef.current = handle;
    return () => {
      stopRef.current();
      handle.dispose();
      handleRef.current = undefined;
    };
  }, [parsed]);

  if (parsed === undefined) return <p className="empty">Loading the recording…</p>;
  if (parsed instanceof Error)
    return (
      <p className="form-error" role="alert">
        This recording cannot be played: {parsed.message}
      </p>
    );

  const outputs = parsed.events.length;
  const sink = {
    output: (data: string) => handleRef.current?.term.write(data),
    resize: (cols: number, rows: number) => handleRef.current?.term.resize(cols, rows),
    progress: (index: number) => {
      setPosition(index);
      if (index >= outputs) setPlaying(false);
    },
  };
  const reset = () => {
    stopRef.current();
    handleRef.current?.term.reset();
    handleRef.current?.term.resize(parsed.header.width, parsed.header.height);
  };
  const start = (from: number, atSpeed = speed) => {
    stopRef.current();
    setPlaying(true);
    stopRef.current = play(parsed.events, from, atSpeed, sink);
  };
  const toggle = () => {
    if (playing) {
      stopRef.current();
      setPlaying(false);
    } else if (position >= outputs) {
      reset();
      start(0);
    } else start(position);
  };
  const toEnd = () => {
    stopRef.current();
    for (let i = position; i < outputs; i++) apply(parsed.events[i]!, sink);
    setPosition(outputs);
    setPlaying(false);
  };
  const duration = parsed.events.at(-1)?.[0] ?? 0;
  const at = parsed.events[Math.max(0, position - 1)]?.[0] ?? 0;

  return (
    <section className="cast-player" aria-label={`Recording ${parsed.header.title ?? ''}`} data-testid="cast-player">
      <div className="terminal-toolbar">
        <button className="primary" onClick={toggle} data-testid="cast-play">
          {playing ? 'Pause' : position >= outputs ? 'Replay' : 'Play'}
        </button>
        <button onClick={toEnd} data-testid="cast-end">
          End
        </button>
        <label>
          Speed
          <select
            value={speed}
            onChange={(e) => {
              const next = Number(e.target.value);
              setSpeed(next);
              if (playing) start(position, next);
            }}
          >
            {speeds.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span className="cast-time">
          {formatTime(at)} / {formatTime(duration)}
        </span>
        {parsed.events
          .filter(([, type]) => type === 'm')
          .map(([time, , label]) => (
            <span key={time} className="cast-marker" title={`at ${formatTime(time)}`}>
              {label}
            </span>
          ))}
      </div>
      <div className="terminal-host active cast-screen" ref={hostRef} data-testid="cast-screen" />
    </section>
  );
}

function formatTime(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
