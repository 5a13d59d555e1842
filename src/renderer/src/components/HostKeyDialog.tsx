import { useState } from 'react';
import { sameFingerprint } from '../../../shared/fingerprint';
import { useApp } from '../store';
import { Modal } from './Modal';
import { focusOnMount } from '../focus-on-mount';

type HostKeyPrompt = ReturnType<typeof useApp.getState>['hostKeyPrompts'][number];

/**
 * An unknown host key: shows the fingerprint and waits for the operator to trust or reject it.
 * Each prompt is a dialog of its own (keyed by its id): the next key in the queue starts again
 * with the focus on Reject and an empty comparison field, wherever the last answer left them.
 */
export function HostKeyDialog() {
  const prompt = useApp((s) => s.hostKeyPrompts[0]);
  return prompt ? <HostKeyQuestion key={prompt.promptId} prompt={prompt} /> : null;
}

function HostKeyQuestion({ prompt }: { prompt: HostKeyPrompt }) {
  const profile = useApp((s) => s.profiles.find((p) => p.id === prompt.profileId));
  const hostKeyAnswered = useApp((s) => s.hostKeyAnswered);
  const [published, setPublished] = useState('');
  const verdict = published.trim() === '' ? undefined : sameFingerprint(published, prompt.fingerprint);
  return (
    <Modal
      role="alertdialog"
      testId="hostkey-dialog"
      title={{ id: 'hostkey-title', text: 'Unknown host key' }}
      describedBy="hostkey-body"
      actions={
        <>
          {/* Focus starts on Reject: a tired Enter must never trust an unknown key. */}
          <button
            className="primary"
            onClick={() => hostKeyAnswered(prompt.promptId, false)}
            data-testid="hostkey-reject"
            ref={focusOnMount}
          >
            Reject
          </button>
          <button onClick={() => hostKeyAnswered(prompt.promptId, true)} data-testid="hostkey-trust">
            Trust and connect
          </button>
        </>
      }
    >
      <div id="hostkey-body">
        <p>
          {profile ? `${profile.name}: ` : ''}the server{' '}
          <strong>
            {prompt.host}:{prompt.port}
          </strong>{' '}
          presented a key this computer has not seen before. Compare its fingerprint with the one your team published
          before trusting it.
        </p>
        <dl>
          <dt>Key type</dt>
          <dd>{prompt.keyType}</dd>
          <dt>Fingerprint</dt>
          <dd>
            <code data-testid="hostkey-fingerprint">{prompt.fingerprint}</code>
          </dd>
        </dl>
        <label className="field">
          <span>Published fingerprint (paste it to compare)</span>
          <input
            value={published}
            onChange={(e) => setPublished(e.target.value)}
            autoComplete="off"
            spellCheck="false"
            placeholder="SHA256:…"
            data-testid="hostkey-published"
            aria-describedby="hostkey-verdict"
          />
        </label>
        <p
          id="hostkey-verdict"
          role="status"
          className={verdict === false ? 'form-error' : 'hint'}
          data-testid="hostkey-verdict"
        >
          {verdict === undefined
            ? ''
            : verdict
              ? 'Matches the published fingerprint.'
              : 'Does NOT match the published fingerprint: reject, and ask whoever runs the server.'}
        </p>
        <p className="hint">Nothing has been sent to the server yet.</p>
      </div>
    </Modal>
  );
}
