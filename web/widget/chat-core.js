/*
 * Shared by the website widget and the kiosk: the socket.io conversation with the Rasa server and
 * safe text rendering. No framework, no build step. Exposes window.PdqChatCore.
 *
 * Protocol (channels/socketio.py has the server's side):
 *   client -> session_request {} | {session_id, token}    server -> session_confirm {session_id, token}
 *     (ids are issued by the server; the token, kept only by this page, resumes the conversation)
 *   client -> user_uttered {message, message_id} + acknowledgement callback
 *   server -> bot_uttered {text, quick_replies?, reply_to, seq}       (one per paragraph of a reply)
 *   server -> bot_uttered {answer_type, citations, reply_to, seq}     (the reply's custom payload; ends the reply)
 *   server -> ack {message_id, status: "stored"|"answered"|"not_stored"|"refused"}, once the turn is over
 *
 * Delivery: every question has a random message id and stays in the outbox until acknowledged ("stored" or
 * "answered"). It is sent again, with the same id, after every reconnect and when the parent presses Retry;
 * the server answers a question it already stored from the conversation instead of handling it twice, and
 * replies already shown (same reply_to and seq) are not shown again. A question without an acknowledgement
 * after ACK_TIMEOUT_MS is reported as failed ("Not sent — Retry").
 *
 * Bot and user text is only ever put into the page as text nodes (textContent), never as HTML.
 */
(function () {
  "use strict";

  if (window.PdqChatCore) {
    return;
  }

  var QUIET_MS = 2500; // a reply without a custom payload ends after this much silence
  // A question not acknowledged by then is shown as "Not sent — Retry". Longer than the server's action
  // timeout (10 s), after which it answers with a fallback, so a slow answer is not reported as lost.
  var ACK_TIMEOUT_MS = 15000;
  var DONE_STATUSES = { stored: true, answered: true };
  // The reply contract (the payload keys and answer types), mirrored from actions/reply_contract.py
  // (javascript_mirror); tests/unit/actions/test_reply_contract.py fails when the two differ.
  var REPLY_CONTRACT = {
    "keys": { "answerType": "answer_type", "citations": "citations", "contacts": "contacts", "answerId": "answer_id" },
    "answerTypes": {
      "ANSWER": "answer",
      "NOT_IN_SUMMARY": "not_in_summary",
      "URGENT": "urgent",
      "PERSONAL_ADVICE": "personal_advice",
      "OUT_OF_SCOPE": "out_of_scope",
      "CLARIFY": "clarify",
      "FALLBACK": "fallback",
      "CHITCHAT": "chitchat",
      "NOT_STORED": "not_stored",
      "HUMAN_CONTACT": "human_contact"
    },
    "feedback": {
      "intent": "feedback",
      "keys": { "answerId": "answer_id", "rating": "rating", "reason": "reason" },
      "ratings": { "UP": "up", "DOWN": "down" },
      "answerTypes": ["answer", "not_in_summary", "personal_advice", "out_of_scope", "fallback"]
    }
  };
  var KEYS = REPLY_CONTRACT.keys;
  var URL_PATTERN = /\bhttps?:\/\/[^\s<>"'“”‘’]+/gi;
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}»’”]+$/;

  function randomId() {
    // crypto.getRandomValues also works on plain-http kiosks (crypto.randomUUID needs a secure context).
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return hex;
  }

  function safeHttpUrl(value) {
    if (typeof value !== "string") {
      return null;
    }
    try {
      var url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url : null;
    } catch (error) {
      return null;
    }
  }

  /* Split text into [{text}] and [{url}] pieces; only absolute http(s) URLs become {url} pieces. */
  function splitUrls(text) {
    var pieces = [];
    var last = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var raw = match[0].replace(TRAILING_PUNCTUATION, "");
      var url = safeHttpUrl(raw);
      if (!url) {
        continue;
      }
      if (match.index > last) {
        pieces.push({ text: text.slice(last, match.index) });
      }
      pieces.push({ url: url, raw: raw });
      last = match.index + raw.length;
      URL_PATTERN.lastIndex = last;
    }
    if (last < text.length) {
      pieces.push({ text: text.slice(last) });
    }
    return pieces;
  }

  function hostLabel(url) {
    return url.hostname.replace(/^www\./, "");
  }

  /*
   * Append `text` to `parent` as text nodes. URLs become <a> elements (http/https only, new tab,
   * rel="noopener noreferrer") when options.links is true, or the bare host name ("cancer.gov") otherwise.
   */
  function appendText(parent, text, options) {
    var links = Boolean(options && options.links);
    splitUrls(text).forEach(function (piece) {
      if (piece.text !== undefined) {
        parent.appendChild(document.createTextNode(piece.text));
      } else if (links) {
        var a = document.createElement("a");
        a.href = piece.url.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.title = piece.raw;
        a.textContent = hostLabel(piece.url);
        var hint = document.createElement("span");
        hint.className = "pdq-visually-hidden";
        hint.textContent = " (opens in a new tab)";
        a.appendChild(hint);
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(hostLabel(piece.url)));
      }
    });
  }

  /*
   * One paragraph of bot text as an element: lines starting with "• " become a real list (<ul><li>),
   * other lines stay in paragraphs with line breaks. All text goes through appendText.
   */
  function renderPart(text, options) {
    var container = document.createElement("div");
    var list = null;
    var paragraph = null;
    text.split("\n").forEach(function (line) {
      var bullet = /^\s*[•●▪]\s+/.exec(line);
      if (bullet) {
        if (!list) {
          list = document.createElement("ul");
          list.className = "bullets";
          container.appendChild(list);
        }
        paragraph = null;
        var item = document.createElement("li");
        appendText(item, line.slice(bullet[0].length), options);
        list.appendChild(item);
      } else {
        list = null;
        if (paragraph) {
          paragraph.appendChild(document.createElement("br"));
        } else {
          paragraph = document.createElement("p");
          container.appendChild(paragraph);
        }
        appendText(paragraph, line, options);
      }
    });
    return container;
  }

  function isSourceLine(text) {
    return /^Sources?:\s/.test(text);
  }

  function normalizeButtons(list) {
    if (!Array.isArray(list)) {
      return [];
    }
    return list
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string" && b.title && b.payload;
      })
      .slice(0, 12)
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
  }

  function normalizeCitations(list) {
    if (!Array.isArray(list)) {
      return [];
    }
    return list
      .filter(function (c) {
        return c && typeof c.section === "string" && c.section;
      })
      .map(function (c) {
        var url = safeHttpUrl(c.url); // anything but http(s) is dropped: the section name stays, as text
        return {
          section: c.section,
          url: url ? url.href : "",
          updated: typeof c.updated === "string" ? c.updated : "",
        };
      });
  }

  /* Urgent replies carry phone contacts; only digits and a leading + survive, so a tel: link is safe. */
  function normalizeContacts(list) {
    if (!Array.isArray(list)) {
      return [];
    }
    return list
      .filter(function (c) {
        return c && typeof c.label === "string" && typeof c.tel === "string" && /^\+?[0-9]{2,15}$/.test(c.tel);
      })
      .map(function (c) {
        return { label: c.label.slice(0, 80), tel: c.tel };
      });
  }

  /* "2025-02-12" -> "February 12, 2025"; anything else is shown as it came. */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) {
      return iso || "";
    }
    return MONTHS[+m[2] - 1] + " " + (+m[3]) + ", " + m[1];
  }

  /* "2025-02-12" -> "Feb 12, 2025" (the source line's short form); anything else is shown as it came. */
  function formatShortDate(iso) {
    var long = formatDate(iso);
    return long === (iso || "") ? long : long.slice(0, 3) + long.slice(long.indexOf(" "));
  }

  /*
   * How a finished reply folds: which answer types fold, and how many of the reply's leading text parts stay
   * visible. The actions send the passage that answers first (one paragraph, one socket.io event); a part that
   * ends with ":" introduces the next one ("Here is how the PDQ summary explains “X”:"), so both stay. Lists
   * longer than LIST_SHOWN items show their first LIST_SHOWN items before "Show more".
   */
  var FOLDED_TYPES = {};
  FOLDED_TYPES[REPLY_CONTRACT.answerTypes.ANSWER] = true;
  FOLDED_TYPES[REPLY_CONTRACT.answerTypes.NOT_IN_SUMMARY] = true;
  var LIST_SHOWN = 3;
  function leadPartCount(texts) {
    var count = 1;
    while (count < texts.length && /:\s*$/.test(texts[count - 1])) {
      count++;
    }
    return count;
  }

  /*
   * Fold a finished reply's bubble: the text parts (elements matching ``partSelector``, direct children of
   * ``bubble``, in order) after the lead and the items of long lists get ``foldClass``; returns whether
   * anything was folded. The caller shows or hides the folded elements (one class on the bubble).
   */
  function foldReply(bubble, answerType, partSelector, foldClass) {
    if (!FOLDED_TYPES[answerType]) {
      return false;
    }
    var parts = Array.prototype.filter.call(bubble.children, function (child) {
      return child.matches(partSelector);
    });
    var shown = leadPartCount(parts.map(function (part) {
      return part.textContent;
    }));
    var folded = false;
    parts.forEach(function (part, index) {
      if (index >= shown) {
        part.classList.add(foldClass);
        folded = true;
        return;
      }
      part.querySelectorAll("ul").forEach(function (list) {
        if (list.children.length > LIST_SHOWN) {
          Array.prototype.slice.call(list.children, LIST_SHOWN).forEach(function (item) {
            item.classList.add(foldClass);
          });
          folded = true;
        }
      });
    });
    return folded;
  }

  /*
   * One conversation over socket.io.
   * options: server (origin, "" = this page's), io (the socket.io client function), sessionId and
   *   sessionToken (a conversation to resume; both or neither), ackTimeoutMs (default ACK_TIMEOUT_MS),
   *   onStatus(status: "connecting"|"online"|"offline"), onSession(id, token),
   *   onDelivery(question) with question = {id, text, state: "sending"|"failed"|"sent"},
   *   onReplyStart(reply), onPart(reply, text), onReplyEnd(reply)
   * A reply is {parts: [text], buttons: [{title, payload}], answerType, citations: [{section, url, updated}],
   *   contacts, answerId (the id the answer-feedback buttons send back, or null)}.
   */
  function Conversation(options) {
    this.options = options;
    this.sessionId = options.sessionToken ? options.sessionId || "" : "";
    this.sessionToken = this.sessionId ? options.sessionToken : "";
    this.ackTimeoutMs = options.ackTimeoutMs || ACK_TIMEOUT_MS;
    this.ready = false;
    this.outbox = []; // questions not acknowledged yet, oldest first
    this.shown = {}; // message id -> how many of its reply events have been shown
    this.quiet = {}; // message id -> {parts, buttons, onReply} of a message sent with sendQuietly
    this.current = null;
    this.quietTimer = null;
    this.everConnected = false;
    this.socket = options.io(options.server || undefined, {
      path: "/socket.io",
      // Long-polling only: Rasa 3.6's Sanic 21 server cannot upgrade socket.io to WebSocket (and does not offer to).
      transports: ["polling"],
      // Behind several Rasa servers, nginx keeps a socket.io connection on one server by this random,
      // per-page value (not the conversation id, so proxy logs cannot link an address to a conversation).
      query: { route: randomId() },
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 4000,
      timeout: 8000,
      withCredentials: false,
    });
    this._bind();
  }

  Conversation.prototype._status = function (status) {
    if (this.options.onStatus) {
      this.options.onStatus(status);
    }
  };

  Conversation.prototype._bind = function () {
    var self = this;
    var socket = this.socket;
    socket.on("connect", function () {
      self.everConnected = true;
      var request = self.sessionId ? { session_id: self.sessionId, token: self.sessionToken } : {};
      socket.emit("session_request", request);
    });
    socket.on("session_confirm", function (data) {
      if (!data || typeof data.session_id !== "string" || typeof data.token !== "string") {
        return;
      }
      self.sessionId = data.session_id;
      self.sessionToken = data.token;
      if (self.options.onSession) {
        self.options.onSession(self.sessionId, self.sessionToken);
      }
      self.ready = true;
      self._status("online");
      self._flush();
    });
    socket.on("disconnect", function (reason) {
      self.ready = false;
      self._endReply();
      if (reason !== "io client disconnect") {
        self._status("offline");
      }
    });
    socket.on("connect_error", function () {
      self.ready = false;
      self._status("offline");
    });
    socket.on("bot_uttered", function (data) {
      self._onBot(data);
    });
  };

  Conversation.prototype.start = function () {
    if (!this.socket.connected && !this.socket.active) {
      this._status("connecting");
      this.socket.connect();
    }
  };

  /* Send a question; ``id`` resends one the page already showed (e.g. restored after a reload). */
  Conversation.prototype.send = function (message, id) {
    var question = { id: id || randomId(), text: message, state: "sending", timer: null };
    this.outbox.push(question);
    this._waitForAck(question);
    this.start();
    if (this.ready) {
      this._transmit(question);
    }
    return question.id;
  };

  /* Send a question marked "Not sent" again (the Retry button), with its id. */
  Conversation.prototype.retry = function (id) {
    var question = this._find(id);
    if (!question) {
      return;
    }
    question.state = "sending";
    this._delivery(question);
    this._waitForAck(question);
    this.start();
    if (this.ready) {
      this._transmit(question);
    }
  };

  Conversation.prototype._find = function (id) {
    for (var i = 0; i < this.outbox.length; i++) {
      if (this.outbox[i].id === id) {
        return this.outbox[i];
      }
    }
    return null;
  };

  Conversation.prototype._delivery = function (question) {
    if (this.options.onDelivery) {
      this.options.onDelivery({ id: question.id, text: question.text, state: question.state });
    }
  };

  Conversation.prototype._waitForAck = function (question) {
    var self = this;
    window.clearTimeout(question.timer);
    question.timer = window.setTimeout(function () {
      if (self._find(question.id) && question.state === "sending") {
        question.state = "failed";
        self._delivery(question);
      }
    }, this.ackTimeoutMs);
  };

  Conversation.prototype._transmit = function (question) {
    var self = this;
    var session = this.sessionId;
    this.socket.emit("user_uttered", { message: question.text, message_id: question.id }, function (ack) {
      if (session !== self.sessionId || !self._find(question.id)) {
        return; // a conversation started over since, or already acknowledged
      }
      if (ack && DONE_STATUSES[ack.status]) {
        window.clearTimeout(question.timer);
        self.outbox.splice(self.outbox.indexOf(question), 1);
        question.state = "sent";
        self._delivery(question);
      } else if (question.state === "sending") {
        window.clearTimeout(question.timer);
        question.state = "failed";
        self._delivery(question);
      }
    });
  };

  /* After every (re)connect: everything not acknowledged goes again, oldest first, with its own id. */
  Conversation.prototype._flush = function () {
    var self = this;
    this.outbox.slice().forEach(function (question) {
      if (question.state === "failed") {
        question.state = "sending";
        self._delivery(question);
      }
      self._waitForAck(question);
      self._transmit(question);
    });
  };

  /* A brand-new conversation (the server issues its id) on a fresh socket.io connection. */
  Conversation.prototype.restart = function () {
    this.socket.disconnect();
    this._endReply(true);
    this.outbox.forEach(function (question) {
      window.clearTimeout(question.timer);
    });
    this.outbox = [];
    this.shown = {};
    this.quiet = {};
    this.ready = false;
    this.sessionId = "";
    this.sessionToken = "";
    this.start();
  };

  Conversation.prototype.stop = function () {
    this.socket.disconnect();
    this._endReply(true);
  };

  /* Whether this event repeats one already shown (a resent question's replies, sent again by the server). */
  Conversation.prototype._seen = function (data) {
    if (typeof data.reply_to !== "string" || typeof data.seq !== "number") {
      return false;
    }
    var shown = this.shown[data.reply_to] || 0;
    if (data.seq < shown) {
      return true;
    }
    this.shown[data.reply_to] = data.seq + 1;
    return false;
  };

  /*
   * Send a message whose reply is not part of the conversation on screen (the answer-feedback buttons, see
   * feedback.js): delivered like a question (outbox, resent after a reconnect), but its reply goes to
   * onReply({parts, buttons, answerType}) once complete, never to onReplyStart/onPart/onReplyEnd.
   */
  Conversation.prototype.sendQuietly = function (message, onReply) {
    var id = randomId();
    this.quiet[id] = { parts: [], buttons: [], onReply: onReply };
    return this.send(message, id);
  };

  Conversation.prototype._onQuiet = function (id, data, custom) {
    var quiet = this.quiet[id];
    if (typeof data.text === "string") {
      quiet.parts.push(data.text);
      quiet.buttons = quiet.buttons.concat(normalizeButtons(data.quick_replies || data.buttons));
    } else if (custom || KEYS.answerType in data) {
      var payload = custom || data;
      delete this.quiet[id];
      quiet.onReply({
        parts: quiet.parts,
        buttons: quiet.buttons,
        answerType: typeof payload[KEYS.answerType] === "string" ? payload[KEYS.answerType] : null,
      });
    }
  };

  Conversation.prototype._onBot = function (data) {
    if (!data || typeof data !== "object" || this._seen(data)) {
      return;
    }
    var custom = data.custom && typeof data.custom === "object" ? data.custom : null;
    if (typeof data.reply_to === "string" && Object.prototype.hasOwnProperty.call(this.quiet, data.reply_to)) {
      this._onQuiet(data.reply_to, data, custom);
      return;
    }
    if (typeof data.text === "string") {
      var reply = this._reply();
      reply.parts.push(data.text);
      if (this.options.onPart) {
        this.options.onPart(reply, data.text);
      }
      var buttons = normalizeButtons(data.quick_replies || data.buttons);
      if (buttons.length) {
        reply.buttons = reply.buttons.concat(buttons);
      }
      this._quiet();
    } else if (custom || KEYS.answerType in data || KEYS.citations in data) {
      var payload = custom || data;
      var current = this._reply();
      current.answerType = typeof payload[KEYS.answerType] === "string" ? payload[KEYS.answerType] : null;
      current.citations = normalizeCitations(payload[KEYS.citations]);
      current.contacts = normalizeContacts(payload[KEYS.contacts]);
      current.answerId = typeof payload[KEYS.answerId] === "string" ? payload[KEYS.answerId] : null;
      this._endReply();
    }
  };

  Conversation.prototype._reply = function () {
    if (!this.current) {
      this.current = { parts: [], buttons: [], answerType: null, citations: [], contacts: [], answerId: null };
      if (this.options.onReplyStart) {
        this.options.onReplyStart(this.current);
      }
    }
    return this.current;
  };

  Conversation.prototype._quiet = function () {
    var self = this;
    window.clearTimeout(this.quietTimer);
    this.quietTimer = window.setTimeout(function () {
      self._endReply();
    }, QUIET_MS);
  };

  Conversation.prototype._endReply = function (silently) {
    window.clearTimeout(this.quietTimer);
    var reply = this.current;
    this.current = null;
    if (reply && !silently && this.options.onReplyEnd) {
      this.options.onReplyEnd(reply);
    }
  };

  /**
   * Scroll ``log`` to the end, but never past the start of a long reply (or the question just above it).
   * ``userClass`` marks the user's rows; ``margin`` is the gap kept above the anchor, in pixels.
   */
  function revealRow(log, row, userClass, margin) {
    var anchor = row;
    while (anchor.previousElementSibling && !anchor.classList.contains(userClass)) {
      anchor = anchor.previousElementSibling;
    }
    if (!anchor.classList.contains(userClass) || row.offsetTop - anchor.offsetTop > log.clientHeight / 2) {
      anchor = row;
    }
    log.scrollTop = Math.min(log.scrollHeight, anchor.offsetTop - margin);
  }

  /* The payload's citations replace the plain-text "Source: ..." line (kept for text-only channels). */
  function hideSourceLines(bubble, citations, selector) {
    if (citations && citations.length) {
      bubble.querySelectorAll(selector).forEach(function (line) {
        line.hidden = true;
      });
    }
  }

  window.PdqChatCore = {
    REPLY_CONTRACT: REPLY_CONTRACT,
    revealRow: revealRow,
    hideSourceLines: hideSourceLines,
    Conversation: Conversation,
    appendText: appendText,
    renderPart: renderPart,
    isSourceLine: isSourceLine,
    randomId: randomId,
    safeHttpUrl: safeHttpUrl,
    normalizeButtons: normalizeButtons,
    normalizeCitations: normalizeCitations,
    normalizeContacts: normalizeContacts,
    formatDate: formatDate,
    formatShortDate: formatShortDate,
    foldReply: foldReply,
  };
})();
