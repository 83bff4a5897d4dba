// The playground's only client script: keeps a partner's page current without a reload. On each
// change the server announces (Server-Sent Events), it fetches this partner's view and puts it in
// place — keeping whatever they were typing in the same question, and where their focus was — and
// says the new turn line to screen readers. Without it, the page still works: forms post and reload.
const live = document.getElementById('live');
const announce = document.getElementById('announce');

function fieldsOf(root) {
  const form = root.querySelector('form[data-key]');
  if (!form) return undefined;
  const values = [...form.elements]
    .filter((el) => el.name && el.type !== 'hidden' && el.type !== 'submit')
    .map((el) => ({ name: el.name, value: el.value, checked: el.checked, type: el.type }));
  return { key: form.dataset.key, values };
}

function restore(root, saved) {
  const form = root.querySelector('form[data-key]');
  if (!saved || !form || form.dataset.key !== saved.key) return;
  for (const field of saved.values) {
    for (const el of form.elements) {
      if (el.name !== field.name) continue;
      if (field.type === 'checkbox' || field.type === 'radio') {
        if (el.value === field.value) el.checked = field.checked;
      } else el.value = field.value;
    }
  }
}

async function refresh() {
  const response = await fetch(live.dataset.fragment, { headers: { accept: 'text/html' }, cache: 'no-store' });
  if (response.status === 404) {
    // The conversation was deleted: the full page says so.
    window.location.reload();
    return;
  }
  if (!response.ok) return;
  const next = document.createElement('template');
  next.innerHTML = await response.text();
  const view = next.content.querySelector('.view');
  const current = live.querySelector('.view');
  if (!view || (current && current.dataset.version === view.dataset.version)) return;
  const saved = fieldsOf(live);
  const focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : '';
  live.replaceChildren(...next.content.childNodes);
  restore(live, saved);
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  const turn = live.querySelector('[data-turn]');
  if (announce && turn) announce.textContent = turn.textContent;
  wirePrint();
}

function wirePrint() {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.onclick = () => window.print();
  }
}

wirePrint();
if (live && 'EventSource' in window) {
  const source = new EventSource(live.dataset.events);
  source.addEventListener('change', () => refresh().catch(() => {}));
  // After a reconnect, catch up on anything said while the stream was down.
  source.addEventListener('open', () => refresh().catch(() => {}));
}
