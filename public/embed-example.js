/* global window, document, URL */
// Example host page for Twinview's embed API (docs/embedding.md). Plain script, no build step.
// ?dashboard=<origin> says where the dashboard runs (default: this page's own origin), ?twin=<id>
// which twin to open (default: pump-station), ?panels= and ?readonly= are passed on.
'use strict';

const here = new URL(window.location.href);
const dashboard = new URL(here.searchParams.get('dashboard') || window.location.origin).origin;
const frame = document.getElementById('twinview');

function frameSource() {
  const src = new URL('/', dashboard);
  src.searchParams.set('twin', here.searchParams.get('twin') || 'pump-station');
  src.searchParams.set('mode', 'embed');
  // The dashboard listens only to the origins named here, and sends its events only to them.
  src.searchParams.set('hostOrigin', window.location.origin);
  for (const key of ['panels', 'readonly', 'view', 'theme']) {
    const value = here.searchParams.get(key);
    if (value !== null) src.searchParams.set(key, value);
  }
  return src.href;
}

/** Sends a command to the dashboard, to its exact origin (never '*'). */
function send(message) {
  frame.contentWindow.postMessage({ version: 1, ...message }, dashboard);
}

function log(text) {
  const item = document.createElement('li');
  item.textContent = text; // text, never HTML: alarm messages come from the twin
  document.getElementById('log').append(item);
}

function show(id, text) {
  document.getElementById(id).textContent = text;
}

function onReady(event) {
  show('version', String(event.version));
  const views = document.getElementById('views');
  views.replaceChildren(
    ...event.views.map((view) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = view.label;
      button.addEventListener('click', () => send({ type: 'twinview:set-view', view: view.id }));
      return button;
    }),
  );
  log(`ready: ${event.twin.title}, ${event.views.length} views, ${event.assets.length} assets`);
}

window.addEventListener('message', (e) => {
  // Only the dashboard in our iframe, from its origin: anything else is ignored.
  if (e.origin !== dashboard || e.source !== frame.contentWindow) return;
  const event = e.data;
  if (!event || typeof event.type !== 'string') return;
  switch (event.type) {
    case 'twinview:ready':
      onReady(event);
      break;
    case 'twinview:selection-changed':
      show('selected', event.path ?? 'nothing');
      log(`selection-changed: ${event.path ?? 'nothing'}`);
      break;
    case 'twinview:connection-changed':
      show('connection', event.state);
      log(`connection-changed: ${event.state}`);
      break;
    case 'twinview:alarm-raised':
    case 'twinview:alarm-acknowledged':
    case 'twinview:alarm-cleared':
      log(
        `${event.type.slice('twinview:'.length)}: ${event.alarm.id} (${event.alarm.priority}) ${event.alarm.message}`,
      );
      document.getElementById('alarm').value = event.alarm.id;
      break;
    case 'twinview:time-changed': {
      // mode 'live', or 'replay' at a moment (ms since the epoch) within an optional range.
      const text = event.mode === 'live' ? 'live' : `replay ${new Date(event.at).toISOString()}`;
      show('time', text);
      log(`time-changed: ${text}${event.playing ? ' (playing)' : ''}`);
      break;
    }
    case 'twinview:error':
      log(`error: ${event.command}: ${event.reason}`);
      break;
    default:
      log(`other: ${event.type}`);
  }
});

document.getElementById('select-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send({ type: 'twinview:select', path: document.getElementById('path').value.trim() || null });
});
document.getElementById('clear').addEventListener('click', () => send({ type: 'twinview:select', path: null }));
for (const button of document.querySelectorAll('[data-theme]'))
  button.addEventListener('click', () => send({ type: 'twinview:set-theme', theme: button.dataset.theme }));
document.getElementById('ack-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send({ type: 'twinview:acknowledge', alarmId: document.getElementById('alarm').value.trim() });
});

document.getElementById('time-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const now = Date.now();
  const minutes = (id) => Number(document.getElementById(id).value) * 60_000;
  // The dashboard checks the range (numbers, from before to, at most 31 days) and answers an error if not.
  send({ type: 'twinview:set-time-range', from: now - minutes('from-ago'), to: now - minutes('to-ago') });
});
document.getElementById('live').addEventListener('click', () => send({ type: 'twinview:live' }));

// The listener is in place before the dashboard loads, so its ready message is not missed.
frame.src = frameSource();
