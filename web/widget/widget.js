/*
 * Childhood ALL (PDQ®) chat widget. Embed with one line:
 *
 *   <script src="https://BOT-HOST/widget/widget.js" data-server="https://BOT-HOST" defer></script>
 *
 * Optional attributes: data-title (panel title), data-open="true" (start open).
 * It loads its own styles, the socket.io client (/vendor/socket.io.min.js) and chat-core.js from the same
 * server, draws everything inside a shadow root (the host page's CSS cannot break it, and it cannot break
 * the host page), and keeps the conversation for the browser tab in sessionStorage.
 *
 * On a phone (PHONE_QUERY, the same width as the full-screen rule in widget.css) the open panel is a modal
 * dialog: aria-modal, Tab and Shift+Tab stay inside, Escape closes and gives focus back to the launcher.
 * When the page's origin is not allowed by the bot server (CORS_ORIGINS there), the panel says "Chat isn't
 * available on this page" instead of trying to reconnect, and the console says once which setting to change.
 */
(function () {
  "use strict";

  if (window.__pdqChatWidgetLoaded) {
    return;
  }
  window.__pdqChatWidgetLoaded = true;

  var script = document.currentScript;
  var scriptUrl = new URL((script && script.src) || "/widget/widget.js", window.location.href);
  var server = ((script && script.getAttribute("data-server")) || scriptUrl.origin).replace(/\/+$/, "");
  var title = (script && script.getAttribute("data-title")) || "Childhood leukemia questions";
  var startOpen = script && script.getAttribute("data-open") === "true";
  var STORAGE_KEY = "pdq-chat-widget:v1";
  var MAX_STORED = 200;
  var SVG = "http://www.w3.org/2000/svg";
  var PHONE_QUERY = "(max-width: 480px)"; // widget.css: "phones: a full-screen panel"
  var FOLDED = "pdq-folded"; // on a bubble: its elements marked FOLD are hidden until "Show more"
  var FOLD = "pdq-fold";
  var folds = 0; // ids for the "Show more" buttons' aria-controls
  var NOTICE_LINE = "Not medical advice. Emergency: call 911.";

  var STARTERS = [
    "What is childhood ALL?",
    "What are the symptoms?",
    "How is ALL treated?",
    "What is a lumbar puncture?",
  ];

  /* ---------- small DOM helpers (no innerHTML anywhere) ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function icon(paths, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size || 20));
    svg.setAttribute("height", String(size || 20));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  var ICON_CHAT = [
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  ];
  var ICON_CLOSE = ["M6 6l12 12M18 6L6 18"];
  var ICON_RESTART = ["M4 12a8 8 0 1 0 2.3-5.6M4 4v5h5"];
  var ICON_SEND = ["M4 12l16-8-6 16-2.5-6.5z"];

  /* ---------- state (sessionStorage: session id + the rendered messages) ---------- */

  function loadState() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (stored && typeof stored.sessionId === "string" && Array.isArray(stored.messages)) {
        return stored;
      }
    } catch (error) {
      /* storage unavailable or corrupt: start fresh */
    }
    return null;
  }

  function saveState() {
    try {
      state.messages = state.messages.slice(-MAX_STORED);
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode / quota: the conversation just won't survive a reload */
    }
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.async = false;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  var state = loadState() || { sessionId: "", sessionToken: "", open: false, messages: [] };

  /* ---------- build the widget ---------- */

  var host = el("div");
  host.id = "pdq-chat-widget";
  var shadow = host.attachShadow({ mode: "open" });
  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = server + "/widget/widget.css";
  shadow.appendChild(stylesheet);
  var feedbackStylesheet = el("link");
  feedbackStylesheet.rel = "stylesheet";
  feedbackStylesheet.href = server + "/widget/feedback.css";
  shadow.appendChild(feedbackStylesheet);

  var root = el("div", "pdq-root");
  root.hidden = true; // shown once the stylesheet has loaded (no flash of unstyled content)
  shadow.appendChild(root);

  var launcher = el("button", "pdq-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "pdq-panel");
  launcher.appendChild(icon(ICON_CHAT, 22));
  launcher.appendChild(el("span", "pdq-launcher-label", "Ask about childhood ALL"));
  root.appendChild(launcher);

  var panel = el("section", "pdq-panel");
  panel.id = "pdq-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "pdq-title");
  panel.hidden = true;
  root.appendChild(panel);

  var header = el("header", "pdq-header");
  var heading = el("div", "pdq-heading");
  var h2 = el("h2", "pdq-title", title);
  h2.id = "pdq-title";
  heading.appendChild(h2);
  heading.appendChild(el("p", "pdq-subtitle", "NCI's PDQ® summary · cancer.gov"));
  header.appendChild(heading);
  var restartButton = el("button", "pdq-icon-button pdq-restart");
  restartButton.type = "button";
  restartButton.setAttribute("aria-label", "Start a new conversation");
  restartButton.setAttribute("aria-expanded", "false");
  restartButton.setAttribute("aria-controls", "pdq-confirm");
  restartButton.title = "Start a new conversation";
  restartButton.appendChild(icon(ICON_RESTART));
  header.appendChild(restartButton);
  var closeButton = el("button", "pdq-icon-button pdq-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close chat");
  closeButton.setAttribute("aria-expanded", "true");
  closeButton.setAttribute("aria-controls", "pdq-panel");
  closeButton.title = "Close chat";
  closeButton.appendChild(icon(ICON_CLOSE));
  header.appendChild(closeButton);
  panel.appendChild(header);

  // ↻ asks first: the conversation cannot be brought back once it is cleared.
  var confirmBox = el("div", "pdq-confirm");
  confirmBox.id = "pdq-confirm";
  confirmBox.setAttribute("role", "group");
  confirmBox.setAttribute("aria-labelledby", "pdq-confirm-question");
  confirmBox.hidden = true;
  var confirmQuestion = el("p", "pdq-confirm-question", "Start a new conversation? The messages here will be cleared.");
  confirmQuestion.id = "pdq-confirm-question";
  confirmBox.appendChild(confirmQuestion);
  var confirmActions = el("div", "pdq-confirm-actions");
  var confirmYes = el("button", "pdq-button pdq-button-primary", "Start over");
  confirmYes.type = "button";
  var confirmNo = el("button", "pdq-button", "Cancel");
  confirmNo.type = "button";
  confirmActions.appendChild(confirmYes);
  confirmActions.appendChild(confirmNo);
  confirmBox.appendChild(confirmActions);
  panel.appendChild(confirmBox);

  var banner = el("div", "pdq-banner");
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  panel.appendChild(banner);

  // The disclaimer stays in view above the conversation: one line, the whole text behind "More".
  var notice = el("div", "pdq-notice");
  var noticeLine = el("p", "pdq-notice-line", NOTICE_LINE);
  var noticeMore = el("button", "pdq-button pdq-link-button", "More");
  noticeMore.type = "button";
  noticeMore.setAttribute("aria-expanded", "false");
  noticeMore.setAttribute("aria-controls", "pdq-notice-full");
  var noticeFull = el("p", "pdq-notice-full");
  noticeFull.id = "pdq-notice-full";
  noticeFull.hidden = true;
  notice.appendChild(noticeLine);
  notice.appendChild(noticeMore);
  notice.appendChild(noticeFull);
  panel.appendChild(notice);

  var log = el("div", "pdq-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;
  panel.appendChild(log);

  var typing = el("div", "pdq-typing");
  typing.setAttribute("role", "status");
  typing.hidden = true;
  var dots = el("span", "pdq-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  dots.appendChild(el("span"));
  typing.appendChild(dots);
  typing.appendChild(el("span", "pdq-typing-label", "The assistant is writing…"));
  panel.appendChild(typing);

  var form = el("form", "pdq-form");
  form.setAttribute("autocomplete", "off");
  var label = el("label", "pdq-visually-hidden", "Your question");
  label.htmlFor = "pdq-input";
  var input = el("input", "pdq-input");
  input.id = "pdq-input";
  input.type = "text";
  input.name = "message";
  input.maxLength = 500;
  input.autocomplete = "off";
  input.placeholder = "Type your question…";
  input.setAttribute("enterkeyhint", "send");
  var sendButton = el("button", "pdq-send");
  sendButton.type = "submit";
  sendButton.setAttribute("aria-label", "Send");
  sendButton.appendChild(icon(ICON_SEND));
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);
  panel.appendChild(form);

  // Urgent replies are also put here, a live region that exists before they arrive, so they are announced
  // at once (a role="alert" set on a message already in the polite log is not).
  var announcer = el("div", "pdq-visually-hidden pdq-announcer");
  announcer.setAttribute("role", "alert");
  announcer.setAttribute("aria-live", "assertive");
  announcer.setAttribute("aria-atomic", "true");
  root.appendChild(announcer);

  /* ---------- rendering ---------- */

  function renderIntro() {
    var intro = el("div", "pdq-intro");
    intro.appendChild(
      el(
        "p",
        null,
        "Hello. I answer questions about childhood acute lymphoblastic leukemia (ALL) with the words of " +
          "the National Cancer Institute's PDQ® summary for families, and I show the source of every answer."
      )
    );
    var starters = el("div", "pdq-quick");
    starters.setAttribute("role", "group");
    starters.setAttribute("aria-label", "Example questions");
    STARTERS.forEach(function (question) {
      starters.appendChild(quickButton({ title: question, payload: question }));
    });
    intro.appendChild(starters);
    return intro;
  }

  function quickButton(button) {
    var b = el("button", "pdq-chip", button.title);
    b.type = "button";
    b.addEventListener("click", function () {
      send(button.payload, button.title);
    });
    return b;
  }

  function renderUser(message) {
    var row = el("div", "pdq-row pdq-row-user");
    var bubble = el("div", "pdq-bubble pdq-user");
    bubble.appendChild(el("span", "pdq-visually-hidden", "You said: "));
    bubble.appendChild(document.createTextNode(message.text));
    row.appendChild(bubble);
    if (message.id) {
      row.setAttribute("data-message-id", message.id);
    }
    renderDelivery(row, message);
    return row;
  }

  /*
   * Under a question: "Sending…" until the server acknowledges it, "Not sent — Retry" when it did not in time.
   * Both are added to the log, whose aria-live="polite" announces them; nothing is shown once it is stored.
   */
  function renderDelivery(row, message) {
    var old = row.querySelector(".pdq-delivery");
    if (old) {
      row.removeChild(old);
    }
    var state = message.delivery || "sent";
    row.setAttribute("data-delivery", state);
    if (state === "sending") {
      row.appendChild(el("p", "pdq-delivery", "Sending…"));
    } else if (state === "failed") {
      var note = el("p", "pdq-delivery pdq-delivery-failed", "Not sent — ");
      var retry = el("button", "pdq-retry", "Retry");
      retry.type = "button";
      retry.addEventListener("click", function () {
        message.delivery = "sending";
        renderDelivery(row, message);
        saveState();
        setTyping(true);
        ensureConversation().then(function (c) {
          c.retry(message.id);
        });
      });
      note.appendChild(retry);
      row.appendChild(note);
    }
  }

  function userMessage(id) {
    for (var i = state.messages.length - 1; i >= 0; i--) {
      if (state.messages[i].role === "user" && state.messages[i].id === id) {
        return state.messages[i];
      }
    }
    return null;
  }

  function onDelivery(question) {
    var message = userMessage(question.id);
    if (!message) {
      return;
    }
    message.delivery = question.state;
    var row = log.querySelector('.pdq-row-user[data-message-id="' + question.id + '"]');
    if (row) {
      renderDelivery(row, message);
    }
    if (question.state === "failed") {
      setTyping(false);
    }
    saveState();
  }

  function createBotBubble(message) {
    var row = el("div", "pdq-row pdq-row-bot");
    var bubble = el("div", "pdq-bubble pdq-bot");
    row.appendChild(bubble);
    message.parts.forEach(function (text) {
      appendPart(bubble, text);
    });
    finishBotBubble(row, message);
    return row;
  }

  function appendPart(bubble, text) {
    var part = window.PdqChatCore.renderPart(text, { links: true });
    part.className = window.PdqChatCore.isSourceLine(text) ? "pdq-part pdq-source-line" : "pdq-part";
    bubble.appendChild(part);
  }

  function finishBotBubble(row, message) {
    var bubble = row.firstChild;
    bubble.classList.remove("pdq-pending");
    if (message.disclaimer) {
      bubble.classList.add("pdq-disclaimer");
    }
    if (message.answerType) {
      bubble.classList.add("pdq-type-" + message.answerType.replace(/[^a-z_]/g, ""));
      row.setAttribute("data-answer-type", message.answerType);
    }
    if (message.answerType === window.PdqChatCore.REPLY_CONTRACT.answerTypes.URGENT && !bubble.querySelector(".pdq-urgent-label")) {
      var flag = el("p", "pdq-urgent-label");
      flag.appendChild(icon(["M12 3l10 18H2z", "M12 10v5", "M12 18h.01"], 18));
      flag.appendChild(document.createTextNode("Urgent"));
      bubble.insertBefore(flag, bubble.firstChild);
    }
    var contacts = window.PdqChatCore.normalizeContacts(message.contacts); // also when restored from storage
    if (contacts.length && !bubble.querySelector(".pdq-contacts")) {
      var calls = el("ul", "pdq-contacts");
      calls.setAttribute("aria-label", "Call now");
      contacts.forEach(function (contact) {
        var item = el("li");
        var call = el("a", "pdq-call", contact.label);
        call.href = "tel:" + contact.tel;
        item.appendChild(call);
        calls.appendChild(item);
      });
      bubble.insertBefore(calls, bubble.querySelector(".pdq-urgent-label") ? bubble.children[1] : bubble.firstChild);
    }
    window.PdqChatCore.hideSourceLines(bubble, message.citations, ".pdq-source-line");
    if (!bubble.querySelector(".pdq-show-more") && window.PdqChatCore.foldReply(bubble, message.answerType, ".pdq-part:not(.pdq-source-line)", FOLD)) {
      bubble.id = bubble.id || "pdq-answer-" + ++folds;
      bubble.classList.add(FOLDED);
      var more = el("button", "pdq-button pdq-show-more", "Show more");
      more.type = "button";
      more.setAttribute("aria-expanded", "false");
      more.setAttribute("aria-controls", bubble.id);
      more.addEventListener("click", function () {
        var open = bubble.classList.toggle(FOLDED) === false;
        more.setAttribute("aria-expanded", String(open));
        more.textContent = open ? "Show less" : "Show more";
      });
      bubble.appendChild(more);
    }
    if (message.citations && message.citations.length && !bubble.querySelector(".pdq-sources")) {
      var list = el("ul", "pdq-sources");
      list.setAttribute("aria-label", "Sources");
      message.citations.forEach(function (citation) {
        var item = el("li");
        item.appendChild(document.createTextNode("Source: NCI, "));
        var url = window.PdqChatCore.safeHttpUrl(citation.url);
        if (url) {
          var a = el("a", null, citation.section);
          a.href = url.href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          a.appendChild(el("span", "pdq-visually-hidden", " (opens in a new tab)"));
          item.appendChild(a);
        } else {
          item.appendChild(document.createTextNode(citation.section));
        }
        if (citation.updated) {
          item.appendChild(document.createTextNode(" · "));
          // The date never breaks across lines ("2025-02-" / "12").
          item.appendChild(el("span", "pdq-updated", "updated " + window.PdqChatCore.formatShortDate(citation.updated)));
        }
        list.appendChild(item);
      });
      bubble.appendChild(list);
    }
    var old = row.querySelector(".pdq-quick");
    if (old) {
      row.removeChild(old);
    }
    if (message.buttons && message.buttons.length) {
      var group = el("div", "pdq-quick");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested topics");
      message.buttons.forEach(function (button) {
        group.appendChild(quickButton(button));
      });
      row.appendChild(group);
    }
    attachFeedback(row, message);
  }

  /* 👍 / 👎 under the answer (feedback.js); the thank-you stays under it and nothing scrolls. */
  function attachFeedback(row, message) {
    if (!window.PdqFeedback) {
      return;
    }
    window.PdqFeedback.attach(row, message, {
      classPrefix: "pdq-",
      send: function (payload, onReply) {
        ensureConversation().then(function (c) {
          c.sendQuietly(payload, onReply);
        });
      },
      onChange: saveState,
    });
  }

  /* The assertive live region reads an urgent reply out at once: its text and the numbers to call. */
  function announce(message) {
    var contacts = window.PdqChatCore.normalizeContacts(message.contacts).map(function (contact) {
      return contact.label;
    });
    announcer.textContent = ["Urgent.", message.parts.join(" ")].concat(contacts).join(" ");
  }

  /* "More" under the pinned notice shows the disclaimer the server sent first, word for word. */
  function showNoticeText() {
    var first = state.messages.filter(function (m) {
      return m.role === "bot" && m.disclaimer;
    })[0];
    noticeFull.textContent = first ? first.parts.join(" ") : NOTICE_LINE;
  }

  function renderAll() {
    showNoticeText();
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    log.appendChild(renderIntro());
    state.messages.forEach(function (message) {
      log.appendChild(message.role === "user" ? renderUser(message) : createBotBubble(message));
    });
    scrollToEnd();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function reveal(row) {
    window.PdqChatCore.revealRow(log, row, "pdq-row-user", 8);
  }


  function dropOldButtons() {
    state.messages.forEach(function (message) {
      if (message.buttons) {
        message.buttons = [];
      }
    });
    var groups = log.querySelectorAll(".pdq-row .pdq-quick");
    for (var i = 0; i < groups.length; i++) {
      groups[i].parentNode.removeChild(groups[i]);
    }
  }

  /* ---------- behaviour ---------- */

  var conversation = null;
  var currentRow = null;
  var currentMessage = null;
  var typingTimer = null;

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      // Never leave the indicator spinning forever (e.g. a reply lost in a restart).
      typingTimer = window.setTimeout(function () {
        typing.hidden = true;
      }, 60000);
      scrollToEnd();
    }
  }

  function setStatus(status) {
    if (root.getAttribute("data-status") === "refused") {
      return; // final for this page: the socket is stopped
    }
    root.setAttribute("data-status", status);
    if (status === "refused") {
      banner.textContent = "";
      banner.appendChild(el("strong", null, "Chat isn't available on this page."));
      banner.appendChild(
        document.createTextNode(" If this is an emergency, call your child's care team or 911.")
      );
      banner.hidden = false;
      setTyping(false);
      input.disabled = true;
      sendButton.disabled = true;
    } else if (status === "offline") {
      checkEmbedding();
      banner.textContent = "";
      banner.appendChild(el("strong", null, "Can't reach the assistant right now."));
      banner.appendChild(
        document.createTextNode(
          " Trying to reconnect… If this is an emergency, call your child's care team or 911."
        )
      );
      banner.hidden = false;
      setTyping(false);
    } else if (status === "online") {
      banner.hidden = true;
      banner.textContent = "";
    }
  }

  function ensureConversation() {
    if (conversation) {
      return Promise.resolve(conversation);
    }
    return ready.then(function () {
      if (!conversation) {
        conversation = new window.PdqChatCore.Conversation({
          server: server,
          io: ioClient,
          sessionId: state.sessionId,
          sessionToken: state.sessionToken,
          onStatus: setStatus,
          onSession: function (id, token) {
            state.sessionId = id;
            state.sessionToken = token;
            root.setAttribute("data-session-id", id);
            saveState();
          },
          onDelivery: onDelivery,
          onReplyStart: function () {
            var isFirstBot = !state.messages.some(function (m) {
              return m.role === "bot";
            });
            currentMessage = {
              role: "bot",
              parts: [],
              buttons: [],
              answerType: null,
              citations: [],
              contacts: [],
              disclaimer: isFirstBot,
            };
            state.messages.push(currentMessage);
            currentRow = createBotBubble(currentMessage);
            currentRow.firstChild.classList.add("pdq-pending");
            log.appendChild(currentRow);
          },
          onPart: function (reply, text) {
            currentMessage.parts.push(text);
            appendPart(currentRow.firstChild, text);
            reveal(currentRow);
            saveState();
          },
          onReplyEnd: function (reply) {
            if (!currentMessage) {
              return;
            }
            currentMessage.buttons = reply.buttons;
            currentMessage.answerType = reply.answerType;
            currentMessage.citations = reply.citations;
            currentMessage.contacts = reply.contacts || [];
            currentMessage.answerId = reply.answerId;
            if (currentMessage.disclaimer && reply.answerType && reply.answerType !== window.PdqChatCore.REPLY_CONTRACT.answerTypes.CHITCHAT) {
              currentMessage.disclaimer = false;
            }
            var row = currentRow;
            finishBotBubble(row, currentMessage);
            if (currentMessage.answerType === window.PdqChatCore.REPLY_CONTRACT.answerTypes.URGENT) {
              announce(currentMessage);
            }
            showNoticeText();
            currentMessage = null;
            currentRow = null;
            setTyping(false);
            reveal(row);
            saveState();
          },
        });
        // Questions a reload interrupted go again with their ids (the server answers each once).
        state.messages.forEach(function (message) {
          if (message.role === "user" && message.id && message.delivery && message.delivery !== "sent") {
            conversation.send(message.payload || message.text, message.id);
          }
        });
      }
      conversation.start();
      return conversation;
    });
  }

  function send(payload, shown) {
    var text = (shown || payload || "").trim();
    if (!text) {
      return;
    }
    dropOldButtons();
    var message = { role: "user", text: text, payload: payload, id: window.PdqChatCore.randomId(), delivery: "sending" };
    state.messages.push(message);
    log.appendChild(renderUser(message));
    saveState();
    setTyping(true);
    ensureConversation().then(function (c) {
      c.send(payload, message.id);
    });
    input.focus();
  }

  function openPanel(options) {
    panel.hidden = false;
    root.classList.add("pdq-open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    state.open = true;
    saveState();
    scrollToEnd();
    ensureConversation();
    if (!(options && options.keepFocus)) {
      input.focus();
    }
  }

  function closePanel() {
    panel.hidden = true;
    root.classList.remove("pdq-open");
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    launcher.focus();
  }

  function restartConversation() {
    state.messages = [];
    state.sessionId = "";
    state.sessionToken = "";
    root.removeAttribute("data-session-id");
    saveState();
    setTyping(false);
    currentMessage = null;
    currentRow = null;
    renderAll();
    if (conversation) {
      conversation.restart();
    }
    input.value = "";
    input.focus();
  }

  function askToRestart() {
    confirmBox.hidden = false;
    restartButton.setAttribute("aria-expanded", "true");
    confirmNo.focus();
  }

  function closeConfirm(focus) {
    confirmBox.hidden = true;
    restartButton.setAttribute("aria-expanded", "false");
    if (focus) {
      focus.focus();
    }
  }

  /* ---------- the phone panel is a modal dialog ---------- */

  var phone = window.matchMedia(PHONE_QUERY);

  function updateModal() {
    if (phone.matches) {
      panel.setAttribute("aria-modal", "true");
    } else {
      panel.removeAttribute("aria-modal");
    }
  }

  function focusables() {
    var candidates = panel.querySelectorAll("button, input, a[href], [tabindex='0']");
    return Array.prototype.filter.call(candidates, function (node) {
      return !node.disabled && node.getClientRects().length > 0;
    });
  }

  /* Tab and Shift+Tab wrap around inside the panel on a phone (the page behind it is covered). */
  function trapFocus(event) {
    if (!phone.matches || panel.hidden) {
      return;
    }
    var nodes = focusables();
    if (!nodes.length) {
      return;
    }
    var active = shadow.activeElement;
    var first = nodes[0];
    var last = nodes[nodes.length - 1];
    if (event.shiftKey && (active === first || nodes.indexOf(active) < 0)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || nodes.indexOf(active) < 0)) {
      event.preventDefault();
      first.focus();
    }
  }

  if (phone.addEventListener) {
    phone.addEventListener("change", updateModal);
  }
  updateModal();

  /* ---------- embedding on a site the bot server does not allow ---------- */

  var embeddingChecked = false;

  /*
   * After a failed connection from another origin: when the bot server answers a plain (no-cors) request
   * but refuses a CORS one, this page's origin is not in CORS_ORIGINS there. Checked once per page.
   */
  function checkEmbedding() {
    var serverOrigin = new URL(server, window.location.href).origin;
    if (embeddingChecked || serverOrigin === window.location.origin || !window.fetch) {
      return;
    }
    embeddingChecked = true;
    var probe = server + "/widget/widget.css";
    var options = { method: "HEAD", credentials: "omit", cache: "no-store" };
    window
      .fetch(probe, Object.assign({ mode: "cors" }, options))
      .then(
        function () {
          return false; // allowed: a real outage, keep trying
        },
        function () {
          return window.fetch(probe, Object.assign({ mode: "no-cors" }, options)).then(
            function () {
              return true; // the server is up but refuses this origin
            },
            function () {
              embeddingChecked = false; // down: check again at the next failure
              return false;
            }
          );
        }
      )
      .then(function (refused) {
        if (!refused) {
          return;
        }
        if (conversation) {
          conversation.stop();
        }
        setStatus("refused");
        window.console.error(
          "Childhood ALL chat widget: the bot server " + serverOrigin + " does not allow this page's origin " +
            window.location.origin + ". Add " + window.location.origin + " to CORS_ORIGINS on BOT-HOST (" +
            serverOrigin + ") and restart it; see the README section \"Another origin?\"."
        );
      });
  }

  launcher.addEventListener("click", function () {
    openPanel();
  });
  closeButton.addEventListener("click", closePanel);
  restartButton.addEventListener("click", function () {
    if (confirmBox.hidden) {
      askToRestart();
    } else {
      closeConfirm(restartButton);
    }
  });
  confirmYes.addEventListener("click", function () {
    closeConfirm(null);
    restartConversation();
  });
  confirmNo.addEventListener("click", function () {
    closeConfirm(restartButton);
  });
  noticeMore.addEventListener("click", function () {
    var open = noticeFull.hidden;
    noticeFull.hidden = !open;
    noticeMore.setAttribute("aria-expanded", String(open));
    noticeMore.textContent = open ? "Less" : "More";
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      if (!confirmBox.hidden) {
        closeConfirm(restartButton);
      } else {
        closePanel();
      }
    } else if (event.key === "Tab") {
      trapFocus(event);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = "";
    send(text);
  });

  /* ---------- start ---------- */

  var ioClient = null;
  var previousIo = window.io;
  var ready = loadScript(server + "/vendor/socket.io.min.js")
    .then(function () {
      ioClient = window.io;
      if (previousIo) {
        window.io = previousIo; // leave the host page's own socket.io client alone
      }
      return window.PdqChatCore ? null : loadScript(server + "/widget/chat-core.js");
    })
    .then(function () {
      return window.PdqFeedback ? null : loadScript(server + "/widget/feedback.js");
    });

  ready.catch(function () {
    setStatus("offline");
  });

  stylesheet.addEventListener("load", function () {
    root.hidden = false;
  });
  stylesheet.addEventListener("error", function () {
    root.hidden = false;
  });

  function mount() {
    document.body.appendChild(host);
    ready.then(function () {
      renderAll();
      if (state.sessionId) {
        root.setAttribute("data-session-id", state.sessionId);
      }
      if (state.open || startOpen) {
        openPanel({ keepFocus: true }); // a reload must not move the page's focus into the widget
      }
    });
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
