// Maintenance windows and incidents in the console: what is announced (everyone signed in sees
// it), and for admins the forms to announce, post news and end (GET|POST /api/admin/incidents).
import {
  api,
  clearFieldError,
  fieldError,
  handleError,
  pick,
  state,
  t,
  time,
  toast,
} from './admin-common.js';
import { $, el } from './dom.js';

const ADMIN = () => state.me?.permissions?.includes('administer') ?? false;
/** The field of the declare and update forms a body path (from the API's 400) belongs to. */
const FIELDS = {
  kind: '#incident-kind',
  service: '#incident-service',
  startsAt: '#incident-start',
  endsAt: '#incident-end',
  'status.de': '#incident-status-de',
  'status.en': '#incident-status-en',
  'text.de': '#update-de',
  'text.en': '#update-en',
};

let services = [];

/** A datetime-local value as an ISO instant (the browser's zone), or undefined when empty. */
const instant = (value) => (value ? new Date(value).toISOString() : undefined);

function stateOf(a) {
  if (a.endedAt) return t('stateEnded');
  if (a.active) return t('stateActive');
  return Date.parse(a.startsAt) > Date.now() ? t('stateUpcoming') : t('stateOver');
}

export async function loadIncidents() {
  const body = await api('/api/admin/incidents');
  services = body.services;
  const serviceName = (id) => pick(services.find((s) => s.id === id)?.name) || id;
  const select = $('#incident-service');
  if (select.options.length !== services.length) {
    select.replaceChildren(...services.map((s) => el('option', { value: s.id, text: pick(s.name) })));
  }
  const admin = ADMIN();
  $('#incident-admin').hidden = !admin;
  $('#incident-admin-note').hidden = admin;
  const rows = body.announcements.map((a) =>
    el('tr', { 'data-id': a.id }, [
      el('td', { text: a.id }),
      el('td', { text: a.kind === 'incident' ? t('kindIncident') : t('kindMaintenance') }),
      el('td', { text: serviceName(a.service) }),
      el('td', { text: stateOf(a) }),
      el('td', { text: time(Date.parse(a.startsAt)) }),
      el('td', { text: a.endsAt ? time(Date.parse(a.endsAt)) : '–' }),
      el('td', { text: String(a.reports) }),
      el('td', { text: pick(a.updates.at(-1)?.text ?? a.status) }),
      el('td', {}, [
        admin && a.active
          ? el('button', { type: 'button', text: t('endIncident')(a.id), onclick: () => end(a.id) })
          : null,
      ]),
    ]),
  );
  $('#incident-rows').replaceChildren(
    ...(rows.length > 0 ? rows : [el('tr', {}, [el('td', { colspan: '9', text: t('noIncidents') })])]),
  );
  const running = body.announcements.filter((a) => a.active);
  const pickList = $('#update-pick');
  const chosen = pickList.value;
  pickList.replaceChildren(
    ...running.map((a) => el('option', { value: a.id, text: `${a.id} – ${serviceName(a.service)}` })),
  );
  if (running.some((a) => a.id === chosen)) pickList.value = chosen;
  $('#update-form').querySelector('button[type="submit"]').disabled = running.length === 0;
  $('#update-none').hidden = running.length > 0;
}

/** Shows the API's problems next to their fields; anything else as a toast. */
function showProblems(error) {
  const issues = error.issues ?? [];
  const first = issues.find((i) => FIELDS[i.path]);
  if (first) fieldError($(FIELDS[first.path]), first.message);
  else handleError(error);
}

async function declare(event) {
  event.preventDefault();
  for (const selector of Object.values(FIELDS)) clearFieldError($(selector));
  const body = {
    kind: $('#incident-kind').value,
    service: $('#incident-service').value,
    startsAt: instant($('#incident-start').value),
    endsAt: instant($('#incident-end').value),
    status: { de: $('#incident-status-de').value, en: $('#incident-status-en').value },
  };
  try {
    const declared = await api('/api/admin/incidents', { method: 'POST', body: JSON.stringify(body) });
    $('#declare-form').reset();
    toast(t('incidentDeclared')(declared.id));
    await loadIncidents();
  } catch (error) {
    if (error.code === 'end_required' || error.code === 'end_before_start') {
      fieldError($('#incident-end'), error.message);
    } else if (error.code === 'unknown_service') fieldError($('#incident-service'), error.message);
    else showProblems(error);
  }
}

async function postUpdate(event) {
  event.preventDefault();
  const id = $('#update-pick').value;
  const body = {
    text: { de: $('#update-de').value, en: $('#update-en').value },
    endsAt: instant($('#update-end').value),
  };
  try {
    await api(`/api/admin/incidents/${encodeURIComponent(id)}/updates`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    $('#update-form').reset();
    toast(t('incidentUpdated')(id));
    await loadIncidents();
  } catch (error) {
    showProblems(error);
  }
}

async function end(id) {
  try {
    const ended = await api(`/api/admin/incidents/${encodeURIComponent(id)}/end`, {
      method: 'POST',
      body: '{}',
    });
    toast(t('incidentEnded')(id, ended.reports));
    await loadIncidents();
  } catch (error) {
    handleError(error);
  }
}

export function initIncidents() {
  $('#declare-form').addEventListener('submit', declare);
  $('#update-form').addEventListener('submit', postUpdate);
}
