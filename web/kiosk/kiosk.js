/*
 * Waiting-room kiosk. Nothing is stored in the browser (no cookies, localStorage or sessionStorage),
 * nothing on screen leads away from the kiosk (sources are plain text), and after a period without use
 * the screen is wiped and a new conversation starts (its id is issued by the server).
 *
 * Idle time: ?idle=SECONDS in the URL, else data-idle-seconds on <main id="kiosk">, else 120 s.
 * The current session id is exposed as data-session-id on <main id="kiosk"> (used by the tests).
 */
(function () {
  "use strict";

  var core = window.PdqChatCore;
  var kiosk = document.getElementById("kiosk");
  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var typing = document.getElementById("typing");
  var banner = document.getElementById("banner");
  var startOver = document.getElementById("start-over");
  var idleNote = document.getElementById("idle-note");
  var warning = document.getElementById("idle-warning");
  var warningText = document.getElementById("idle-text");
  var warningContinue = document.getElementById("idle-continue");
  var announcer = document.getElementById("announcer");
  var FOLDED = "folded"; // on a bubble: its elements marked FOLD are hidden until "Show more"
  var FOLD = "fold";
  var folds = 0;

  var STARTERS = [
    "What is childhood ALL?",
    "What are the symptoms?",
    "How is ALL treated?",
    "What are the side effects of treatment?",
  ];

  function idleSeconds() {
    var fromUrl = Number(new URLSearchParams(window.location.search).get("idle"));
    if (fromUrl > 0) {
      return fromUrl;
    }
    var fromPage = Number(kiosk.getAttribute("data-idle-seconds"));
    return fromPage > 0 ? fromPage : 120;
  }

  var IDLE_MS = idleSeconds() * 1000;
  // Warn before wiping, unless the timeout is so short that a warning would only get in the way.
  var WARN_MS = IDLE_MS >= 30000 ? Math.min(20000, IDLE_MS / 4) : 0;

  function describeIdle(ms) {
    var seconds = Math.round(ms / 1000);
    if (seconds % 60 === 0) {
      var minutes = seconds / 60;
      return minutes === 1 ? "1 minute" : minutes + " minutes";
    }
    return seconds === 1 ? "1 second" : seconds + " seconds";
  }

  idleNote.textContent = "This screen clears itself after " + describeIdle(IDLE_MS) + " without use.";

  /* ---------- rendering (text only, no links) ---------- */

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

  function chip(button) {
    var b = el("button", "chip", button.title);
    b.type = "button";
    b.addEventListener("click", function () {
      send(button.payload, button.title);
    });
    return b;
  }

  function renderIntro() {
    var intro = el("div", "intro");
    intro.appendChild(
      el(
        "p",
        null,
        "Ask a question about childhood acute lymphoblastic leukemia (ALL). The answers use the words of the " +
          "National Cancer Institute's PDQ® summary, and each one shows where it comes from."
      )
    );
    var group = el("div", "chips");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Example questions");
    STARTERS.forEach(function (question) {
      group.appendChild(chip({ title: question, payload: question }));
    });
    intro.appendChild(group);
    log.appendChild(intro);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function reveal(row) {
    core.revealRow(log, row, "row-user", 12);
  }


  function dropButtons() {
    var groups = log.querySelectorAll(".row .chips");
    for (var i = 0; i < groups.length; i++) {
      groups[i].parentNode.removeChild(groups[i]);
    }
  }

  function addUser(text) {
    var row = el("div", "row row-user");
    var bubble = el("div", "bubble user");
    var hidden = el("span", "visually-hidden", "You asked: ");
    bubble.appendChild(hidden);
    bubble.appendChild(document.createTextNode(text));
    row.appendChild(bubble);
    log.appendChild(row);
    scrollToEnd();
    return row;
  }

  /*
   * Under a question: "Sending…" until the server acknowledges it, "Not sent — Retry" when it did not in time.
   * Both are added to the log, whose aria-live="polite" announces them; nothing is shown once it is stored.
   */
  function showDelivery(row, id, state) {
    var old = row.querySelector(".delivery");
    if (old) {
      row.removeChild(old);
    }
    row.setAttribute("data-delivery", state);
    if (state === "sending") {
      row.appendChild(el("p", "delivery", "Sending…"));
    } else if (state === "failed") {
      var note = el("p", "delivery delivery-failed", "Not sent — ");
      var retry = el("button", "retry", "Retry");
      retry.type = "button";
      retry.addEventListener("click", function () {
        showDelivery(row, id, "sending");
        setTyping(true);
        conversation.retry(id);
        activity();
      });
      note.appendChild(retry);
      row.appendChild(note);
    }
  }

  function onDelivery(question) {
    var row = log.querySelector('.row-user[data-message-id="' + question.id + '"]');
    if (row) {
      showDelivery(row, question.id, question.state);
    }
    if (question.state === "failed") {
      setTyping(false);
    }
  }

  var currentRow = null;
  var botReplies = 0;

  function startReply() {
    currentRow = el("div", "row row-bot");
    var bubble = el("div", "bubble bot");
    if (botReplies === 0) {
      bubble.classList.add("disclaimer");
    }
    botReplies += 1;
    currentRow.appendChild(bubble);
    log.appendChild(currentRow);
  }

  function addPart(text) {
    var part = core.renderPart(text, { links: false });
    part.className = core.isSourceLine(text) ? "part source-line" : "part";
    currentRow.firstChild.appendChild(part);
    reveal(currentRow);
  }

  function endReply(reply) {
    var row = currentRow;
    currentRow = null;
    if (!row) {
      return;
    }
    var bubble = row.firstChild;
    if (reply.answerType) {
      row.setAttribute("data-answer-type", reply.answerType);
      bubble.classList.add("type-" + reply.answerType.replace(/[^a-z_]/g, ""));
      if (reply.answerType !== window.PdqChatCore.REPLY_CONTRACT.answerTypes.CHITCHAT) {
        bubble.classList.remove("disclaimer");
      }
    }
    if (reply.answerType === window.PdqChatCore.REPLY_CONTRACT.answerTypes.URGENT) {
      // On the kiosk a member of staff is nearer than any phone: that comes first.
      var staff = el("p", "urgent-staff", "Tell a member of staff now.");
      bubble.insertBefore(staff, bubble.firstChild);
      var flag = el("p", "urgent-label", "Urgent");
      bubble.insertBefore(flag, bubble.firstChild);
      (reply.contacts || []).forEach(function (contact) {
        bubble.appendChild(el("p", "urgent-contact", contact.label + ": " + contact.tel));
      });
      // Read out at once: the assertive region exists before the reply does (see index.html).
      announcer.textContent = Array.prototype.map.call(bubble.children, function (node) {
        return node.textContent;
      }).join(" ");
    }
    if (reply.answerType === window.PdqChatCore.REPLY_CONTRACT.answerTypes.HUMAN_CONTACT) {
      // "Can I talk to someone?" in the waiting room: the front desk is the nearest person.
      bubble.insertBefore(el("p", "front-desk", "Please ask at the front desk."), bubble.firstChild);
    }
    core.hideSourceLines(bubble, reply.citations, ".source-line");
    if (core.foldReply(bubble, reply.answerType, ".part:not(.source-line)", FOLD)) {
      bubble.id = "answer-" + ++folds;
      bubble.classList.add(FOLDED);
      var more = el("button", "show-more", "Show more");
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
    if (reply.citations.length) {
      var list = el("ul", "sources");
      list.setAttribute("aria-label", "Sources");
      reply.citations.forEach(function (citation) {
        var host = core.safeHttpUrl(citation.url);
        var item = el("li", null, "Source: NCI, " + citation.section);
        if (host) {
          item.appendChild(document.createTextNode(" · " + host.hostname.replace(/^www\./, "")));
        }
        if (citation.updated) {
          item.appendChild(document.createTextNode(" · "));
          item.appendChild(el("span", "updated", "updated " + core.formatShortDate(citation.updated)));
        }
        list.appendChild(item);
      });
      bubble.appendChild(list);
    }
    if (reply.buttons.length) {
      var group = el("div", "chips");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested topics");
      reply.buttons.forEach(function (button) {
        group.appendChild(chip(button));
      });
      row.appendChild(group);
    }
    if (window.PdqFeedback) {
      // 👍 / 👎 under the answer: anonymous, one tap, no text box; the thank-you stays under it.
      window.PdqFeedback.attach(row, reply, {
        send: function (payload, onReply) {
          conversation.sendQuietly(payload, onReply);
        },
        onChange: activity,
      });
    }
    setTyping(false);
    reveal(row);
    activity();
  }

  var typingTimer = null;

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = window.setTimeout(function () {
        typing.hidden = true;
      }, 60000);
    }
  }

  function setStatus(status) {
    if (status === "offline") {
      banner.textContent = "The assistant can't be reached right now. Trying again… If you are worried about your child, please tell a member of staff.";
      banner.hidden = false;
      setTyping(false);
    } else if (status === "online") {
      banner.hidden = true;
      banner.textContent = "";
    }
  }

  function setSession(id) {
    kiosk.setAttribute("data-session-id", id); // issued by the server; its token stays in this page's memory
  }

  /* ---------- conversation ---------- */

  var conversation = new core.Conversation({
    server: "",
    io: window.io,
    onStatus: setStatus,
    onSession: setSession,
    onDelivery: onDelivery,
    onReplyStart: startReply,
    onPart: function (reply, text) {
      addPart(text);
    },
    onReplyEnd: endReply,
  });

  function send(payload, shown) {
    var text = (shown || payload || "").trim();
    if (!text) {
      return;
    }
    dropButtons();
    var row = addUser(text);
    var id = core.randomId();
    row.setAttribute("data-message-id", id);
    showDelivery(row, id, "sending");
    setTyping(true);
    conversation.send(payload, id);
    activity();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      return;
    }
    input.value = "";
    send(text);
  });

  /* ---------- start over / idle reset ---------- */

  var lastActivity = Date.now();

  function activity() {
    lastActivity = Date.now();
    if (!warning.hidden) {
      warning.hidden = true;
    }
  }

  function hasSomethingOnScreen() {
    return log.querySelector(".row") !== null || input.value !== "" || currentRow !== null;
  }

  function reset() {
    warning.hidden = true;
    setTyping(false);
    currentRow = null;
    botReplies = 0;
    input.value = "";
    input.blur();
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    announcer.textContent = "";
    renderIntro();
    log.scrollTop = 0;
    kiosk.setAttribute("data-session-id", "");
    conversation.restart();
    activity();
  }

  startOver.addEventListener("click", reset);
  warningContinue.addEventListener("click", function () {
    activity();
    input.focus();
  });

  ["pointerdown", "keydown", "input", "wheel", "touchmove"].forEach(function (type) {
    document.addEventListener(type, activity, { passive: true, capture: true });
  });

  window.setInterval(function () {
    // Nothing to wipe, or the assistant is still answering: the idle clock does not run.
    if (!hasSomethingOnScreen() || !typing.hidden) {
      lastActivity = Date.now();
      return;
    }
    var left = IDLE_MS - (Date.now() - lastActivity);
    if (left <= 0) {
      reset();
    } else if (WARN_MS && left <= WARN_MS) {
      var seconds = Math.ceil(left / 1000);
      warningText.textContent =
        "This conversation will be cleared in " + seconds + (seconds === 1 ? " second." : " seconds.");
      if (warning.hidden) {
        warning.hidden = false;
        warningContinue.focus();
      }
    }
  }, 250);

  renderIntro();
  conversation.start();
})();
