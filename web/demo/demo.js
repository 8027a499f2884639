// The live-chat demo: sign in, list relationships with unread badges, open a
// conversation, send and receive messages live, keep action steps (add, tick
// off) and see the next meeting, both kept current by viewerEvents. It uses only the public API
// (the contract's operations in operations.js), so it doubles as an example.
import { Api, ApiError, newClientMessageId } from "./api.js";

const DEMO_PASSWORD = "mentoring-demo";
const TOKEN_KEY = "mentoring-demo.token";
// Where the contract lets messages be sent; only these are followed live.
const OPEN_FOR_MESSAGES = new Set(["ACCEPTED", "ACTIVE", "COMPLETED"]);
// The viewer events after which the open workspace is read again.
const WORKSPACE_EVENTS = new Set([
  "ACTION_STEP_CHANGED",
  "MEETING_PROPOSED",
  "MEETING_CONFIRMED",
  "MEETING_DECLINED",
  "MEETING_CANCELLED",
]);
const CHANNELS = {
  PRIVATE_MESSAGE: "chat",
  EMAIL: "e-mail",
  PHONE: "phone call",
  VIDEO_CALL: "video call",
};

const api = new Api();
const $ = (id) => document.getElementById(id);

const state = {
  viewer: null,
  relationships: new Map(), // id -> relationship, unreadCount kept current
  conversations: new Map(), // id -> { messages: Map(id -> message), variables, stop }
  openId: null,
  workspace: null, // the open relationship's { id, actionSteps, meetings }
  stopEvents: null,
  // The last send that failed: sending the same text again reuses its
  // clientMessageId, so a send that did reach the server is not duplicated.
  pending: null,
};

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function partnerOf(relationship) {
  return relationship.viewerRole === "MENTOR" ? relationship.mentee : relationship.mentor;
}

function conversation(relationshipId) {
  if (!state.conversations.has(relationshipId)) {
    state.conversations.set(relationshipId, {
      messages: new Map(),
      variables: { relationshipId, after: null },
      stop: null,
    });
  }
  return state.conversations.get(relationshipId);
}

// ------------------------------------------------------------------ session

async function signIn(email, password) {
  showError("");
  try {
    const data = await api.run("Login", { email, password });
    api.token = data.login.token;
    sessionStorage.setItem(TOKEN_KEY, api.token);
    await start();
  } catch (error) {
    showError(`Sign-in failed: ${error.message}`);
  }
}

async function start() {
  const { viewer } = await api.run("Viewer");
  if (!viewer) {
    signOut(); // the stored token expired or was revoked
    return;
  }
  state.viewer = viewer;
  $("who").textContent = viewer.displayName;
  $("sign-in").hidden = true;
  $("chat").hidden = false;
  try {
    await loadRelationships();
  } catch (error) {
    showError(`Could not load your relationships: ${error.message}`);
  }
  followEvents();
}

// The Sign out button: the server revokes the token first, so that a copy of
// it (another tab, a saved request) stops working too; then this page forgets it.
async function logOut() {
  let revoked = true;
  if (api.token) {
    try {
      await api.run("Logout");
    } catch (error) {
      // Already revoked or expired: nothing left to end. Otherwise say so.
      revoked = error instanceof ApiError && error.code === "UNAUTHENTICATED";
    }
  }
  signOut();
  if (!revoked) {
    showError("Signed out here, but the server could not be told: the token stays valid until it expires.");
  }
}

function signOut() {
  for (const { stop } of state.conversations.values()) stop?.();
  state.stopEvents?.();
  api.signOut();
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { viewer: null, openId: null, pending: null, workspace: null, stopEvents: null });
  state.relationships.clear();
  state.conversations.clear();
  $("relationships").replaceChildren();
  $("messages").replaceChildren();
  $("steps").replaceChildren();
  $("conversation").hidden = true;
  $("chat").hidden = true;
  $("sign-in").hidden = false;
  showError("");
}

// ------------------------------------------------------------ relationships

async function loadRelationships() {
  const { myRelationships } = await api.run("MyRelationships");
  for (const relationship of myRelationships) {
    state.relationships.set(relationship.id, relationship);
    if (OPEN_FOR_MESSAGES.has(relationship.status)) follow(relationship.id);
  }
  renderRelationships();
}

function follow(relationshipId) {
  const chat = conversation(relationshipId);
  chat.stop ??= api.follow(
    "MessageAdded",
    chat.variables,
    {
      next: (data) => received(relationshipId, data.messageAdded),
      error: (error) => showError(`Live updates stopped: ${error.message}`),
    },
    (status) => {
      $("live").textContent = status === "live" ? "● live" : "reconnecting…";
      $("live").className = status;
    },
  );
}

function renderRelationships() {
  const items = [...state.relationships.values()].map((relationship) => {
    const partner = partnerOf(relationship);
    const unread = relationship.unreadCount ?? 0;
    const button = element(
      "button",
      { type: "button", "data-id": relationship.id },
      element("span", { class: "name" }, partner.displayName),
      unread > 0 ? element("span", { class: "badge", title: `${unread} unread` }, String(unread)) : null,
      element(
        "span",
        { class: "meta" },
        `${relationship.viewerRole === "MENTOR" ? "your mentee" : "your mentor"} · ${relationship.status.toLowerCase()}`,
      ),
      element("span", { class: "preview" }, relationship.lastMessage?.body ?? "No messages yet"),
    );
    if (relationship.id === state.openId) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => openConversation(relationship.id));
    return element("li", {}, button);
  });
  $("relationships").replaceChildren(...items);
  $("no-relationships").hidden = items.length > 0;
}

// ------------------------------------------------------------ conversation

async function openConversation(relationshipId) {
  showError("");
  state.openId = relationshipId;
  const relationship = state.relationships.get(relationshipId);
  const chat = conversation(relationshipId);
  $("partner").textContent = partnerOf(relationship).displayName;
  $("conversation").hidden = false;
  const canSend = OPEN_FOR_MESSAGES.has(relationship.status);
  $("body").disabled = !canSend;
  $("send").disabled = !canSend;
  renderRelationships();
  try {
    const data = await api.run("Conversation", { relationshipId, last: 50 });
    const edges = data.relationship?.messages.edges ?? [];
    // The page of history first, then whatever arrived live meanwhile.
    const live = chat.messages;
    chat.messages = new Map(edges.map(({ node }) => [node.id, node]));
    for (const [id, message] of live) if (!chat.messages.has(id)) chat.messages.set(id, message);
    chat.variables.after ??= edges.at(-1)?.cursor ?? null;
  } catch (error) {
    showError(`Could not open the conversation: ${error.message}`);
    return;
  }
  renderMessages();
  await loadWorkspace(relationshipId);
  if (chat.variables.after) await markRead(relationshipId, chat.variables.after);
  $("body").focus();
}

// A message from the live subscription (in order, with no gap).
function received(relationshipId, message) {
  const chat = conversation(relationshipId);
  chat.variables.after = message.cursor; // a reconnection resumes after it
  if (chat.messages.has(message.id)) return; // our own send, already shown
  chat.messages.set(message.id, message);
  const relationship = state.relationships.get(relationshipId);
  if (relationship) relationship.lastMessage = message;
  const fromPartner = message.sender.id !== state.viewer.id;
  if (relationshipId === state.openId) {
    renderMessages();
    if (fromPartner) markRead(relationshipId, message.cursor);
  } else if (relationship && fromPartner) {
    relationship.unreadCount = (relationship.unreadCount ?? 0) + 1;
  }
  renderRelationships();
}

async function markRead(relationshipId, upTo) {
  try {
    const { markMessagesRead } = await api.run("MarkRead", { relationshipId, upTo });
    const relationship = state.relationships.get(relationshipId);
    if (relationship) relationship.unreadCount = markMessagesRead.unreadCount;
    renderRelationships();
  } catch (error) {
    showError(`Could not mark messages read: ${error.message}`);
  }
}

function renderMessages() {
  const relationship = state.relationships.get(state.openId);
  const partner = partnerOf(relationship).displayName;
  const items = [...conversation(state.openId).messages.values()].map((message) => {
    const mine = message.sender.id === state.viewer.id;
    const time = new Date(message.sentAt);
    return element(
      "li",
      { class: mine ? "mine" : "theirs" },
      element("span", { class: "sender" }, mine ? "You" : partner),
      element("p", {}, message.body),
      element(
        "time",
        { datetime: message.sentAt },
        time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
      ),
    );
  });
  $("messages").replaceChildren(...items);
  $("messages").lastElementChild?.scrollIntoView({ block: "end" });
}

async function send(body) {
  const relationshipId = state.openId;
  const retry = state.pending?.relationshipId === relationshipId && state.pending.body === body;
  const clientMessageId = retry ? state.pending.clientMessageId : newClientMessageId();
  state.pending = { relationshipId, body, clientMessageId };
  try {
    const { sendMessage } = await api.run("SendMessage", {
      input: { relationshipId, body, clientMessageId },
    });
    state.pending = null;
    $("body").value = "";
    // Shown at once; the subscription's copy of it is recognised by id. The
    // resume cursor is left to the subscription, which may still be behind.
    const chat = conversation(relationshipId);
    if (!chat.messages.has(sendMessage.id)) chat.messages.set(sendMessage.id, sendMessage);
    const relationship = state.relationships.get(relationshipId);
    if (relationship) relationship.lastMessage = sendMessage;
    if (relationshipId === state.openId) renderMessages();
    renderRelationships();
  } catch (error) {
    showError(`Not sent (send again to retry): ${error.message}`);
  }
}

// ------------------------------------------------------------ working together

// What concerns the viewer, live: the partner added or ticked off a step,
// proposed, answered or cancelled a meeting. The open workspace is read again.
function followEvents() {
  state.stopEvents ??= api.follow(
    "ViewerEvents",
    {},
    {
      next: ({ viewerEvents: event }) => {
        if (WORKSPACE_EVENTS.has(event.kind) && event.relationship.id === state.openId) {
          loadWorkspace(state.openId);
        }
      },
      error: (error) => showError(`Live updates stopped: ${error.message}`),
    },
  );
}

async function loadWorkspace(relationshipId) {
  try {
    const { relationship } = await api.run("Workspace", { relationshipId });
    if (relationshipId !== state.openId || !relationship) return; // another one opened meanwhile
    state.workspace = relationship;
  } catch (error) {
    showError(`Could not load the action steps and meetings: ${error.message}`);
    return;
  }
  renderWorkspace();
}

function nextMeeting(meetings) {
  const now = Date.now();
  return meetings
    .filter((meeting) => ["PROPOSED", "CONFIRMED"].includes(meeting.status))
    .filter((meeting) => new Date(meeting.startsAt).getTime() > now)
    .sort((a, b) => new Date(a.startsAt) - new Date(b.startsAt))[0];
}

function renderWorkspace() {
  const { actionSteps, meetings } = state.workspace;
  const open = OPEN_FOR_MESSAGES.has(state.relationships.get(state.openId)?.status);
  const next = nextMeeting(meetings);
  if (next) {
    const when = new Date(next.startsAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    const status = next.status === "CONFIRMED" ? "confirmed" : "proposed, not yet confirmed";
    const place = next.location ? ` · ${next.location}` : "";
    $("next-meeting").textContent =
      `Next meeting: ${when}, ${next.durationMinutes} min, ${CHANNELS[next.channel] ?? next.channel}${place} (${status})`;
  } else {
    $("next-meeting").textContent = "No meeting planned.";
  }
  const items = actionSteps.map((step) => {
    const box = element("input", { type: "checkbox", "data-id": step.id });
    box.checked = step.doneAt !== null;
    box.disabled = !open;
    box.addEventListener("change", () => tick(step.id, box.checked));
    const mine = step.owner.id === state.viewer.id;
    const due = step.dueOn ? ` · due ${step.dueOn}` : "";
    return element(
      "li",
      { class: step.doneAt ? "done" : "open" },
      element("label", {}, box, ` ${step.title}`),
      element("span", { class: "meta" }, `${mine ? "yours" : "your partner's"}${due}`),
    );
  });
  $("steps").replaceChildren(...items);
  $("step-title").disabled = !open;
  $("add-step").disabled = !open;
}

async function addStep(title) {
  const relationshipId = state.openId;
  try {
    await api.run("AddActionStep", { input: { relationshipId, title } });
    $("step-title").value = "";
  } catch (error) {
    showError(`Step not added: ${error.message}`);
    return;
  }
  await loadWorkspace(relationshipId);
}

async function tick(id, done) {
  try {
    await api.run("UpdateActionStep", { input: { id, done } });
  } catch (error) {
    showError(`Step not changed: ${error.message}`);
  }
  await loadWorkspace(state.openId);
}

// ------------------------------------------------------------------ wiring

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("email").value.trim(), $("password").value);
});
for (const button of document.querySelectorAll("[data-demo-email]")) {
  button.addEventListener("click", () => {
    $("email").value = button.dataset.demoEmail;
    $("password").value = DEMO_PASSWORD;
    $("sign-in").requestSubmit();
  });
}
$("sign-out").addEventListener("click", logOut);
$("new-step").addEventListener("submit", (event) => {
  event.preventDefault();
  const title = $("step-title").value.trim();
  if (title) addStep(title);
});
$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const body = $("body").value.trim();
  if (body) send(body);
});

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  api.token = saved;
  start().catch((error) => showError(error.message));
}
