/*
 * Answer feedback under a bot reply, for the website widget and the kiosk (issue 19). Exposes
 * window.PdqFeedback.attach; needs chat-core.js (window.PdqChatCore) loaded first.
 *
 * Right under every reply whose type is in REPLY_CONTRACT.feedback.answerTypes and that has an answer id: 👍 / 👎
 * (thumb icons on buttons labelled "This answer helped" / "This answer didn't help", aria-pressed once tapped). A tap sends
 * /feedback{"answer_id": ..., "rating": ...} over the page's conversation with Conversation.sendQuietly, so the
 * server's thank-you is shown here, under the rated answer, in a polite status line: nothing is added to the
 * end of the conversation, the focus stays where it is and nothing scrolls. After 👎 the server offers the
 * reasons as buttons; a tap on one sends it the same way. No text box, nothing about the family is sent.
 * A later tap on the other thumb changes the rating (the last one counts).
 *
 * attach(row, reply, options): row = the reply's element (the buttons go after its first child, the bubble), reply = {answerType,
 * answerId, feedback?: {rating, reason}} (feedback: what was tapped, restored after a reload),
 * options = {send(payload, onReply), onChange(feedback)?, classPrefix?: "pdq-" in the widget}.
 */
(function () {
  "use strict";

  if (window.PdqFeedback) {
    return;
  }

  var RATING_LABELS = {}; // rating -> [turned upside down?, accessible name]
  var SVG = "http://www.w3.org/2000/svg";
  // A thumb drawn here rather than the 👍 emoji: kiosks and locked-down PCs often have no emoji font.
  var THUMB = "M2 10h4v11H2z M8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5l.8-4.2A1.8 1.8 0 0 0 13 4l-5 6z";

  function thumb(down) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", THUMB);
    path.setAttribute("fill", "currentColor");
    if (down) {
      path.setAttribute("transform", "rotate(180 12 12)");
    }
    svg.appendChild(path);
    return svg;
  }

  function contract() {
    return window.PdqChatCore.REPLY_CONTRACT.feedback;
  }

  function labels() {
    var ratings = contract().ratings;
    RATING_LABELS[ratings.UP] = [false, "This answer helped"];
    RATING_LABELS[ratings.DOWN] = [true, "This answer didn't help"];
    return RATING_LABELS;
  }

  function payloadFor(answerId, rating) {
    var keys = contract().keys;
    var entities = {};
    entities[keys.answerId] = answerId;
    entities[keys.rating] = rating;
    return "/" + contract().intent + JSON.stringify(entities);
  }

  function wantsFeedback(reply) {
    return Boolean(reply && typeof reply.answerId === "string" && reply.answerId &&
      contract().answerTypes.indexOf(reply.answerType) >= 0);
  }

  function attach(row, reply, options) {
    if (!wantsFeedback(reply) || row.querySelector(".pdq-feedback")) {
      return;
    }
    var prefix = options.classPrefix || "";
    var box = document.createElement("div");
    box.className = "pdq-feedback";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Was this answer helpful?");
    var thumbs = document.createElement("div");
    thumbs.className = "pdq-feedback-thumbs";
    var reasons = document.createElement("div");
    reasons.className = "pdq-feedback-reasons";
    var note = document.createElement("p");
    note.className = "pdq-feedback-note";
    note.setAttribute("role", "status");
    var state = reply.feedback || { rating: null, reason: null };
    var buttons = {};

    function changed() {
      reply.feedback = state;
      if (options.onChange) {
        options.onChange(state);
      }
    }

    function showReply(answer) {
      note.textContent = answer.parts.join(" ");
      if (!answer.buttons.length) {
        return; // the thanks after a reason: the reasons stay (one pressed), so the focus stays on the tapped one
      }
      while (reasons.firstChild) {
        reasons.removeChild(reasons.firstChild);
      }
      answer.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "pdq-feedback-reason " + prefix + "chip";
        b.textContent = button.title;
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {
          if (b.getAttribute("aria-pressed") === "true") {
            return;
          }
          Array.prototype.forEach.call(reasons.children, function (other) {
            other.setAttribute("aria-pressed", other === b ? "true" : "false");
          });
          state.reason = button.title;
          changed();
          options.send(button.payload, showReply);
        });
        reasons.appendChild(b);
      });
    }

    Object.keys(labels()).forEach(function (rating) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "pdq-feedback-thumb";
      b.setAttribute("aria-label", RATING_LABELS[rating][1]);
      b.title = RATING_LABELS[rating][1];
      b.setAttribute("aria-pressed", state.rating === rating ? "true" : "false");
      b.setAttribute("data-rating", rating);
      b.appendChild(thumb(RATING_LABELS[rating][0]));
      b.addEventListener("click", function () {
        if (state.rating === rating) {
          return;
        }
        state.rating = rating;
        state.reason = null;
        while (reasons.firstChild) {
          reasons.removeChild(reasons.firstChild); // reasons belong to a 👎
        }
        Object.keys(buttons).forEach(function (other) {
          buttons[other].setAttribute("aria-pressed", other === rating ? "true" : "false");
        });
        changed();
        options.send(payloadFor(reply.answerId, rating), showReply);
      });
      buttons[rating] = b;
      thumbs.appendChild(b);
    });
    if (state.rating) {
      note.textContent = "Thank you for your feedback.";
    }
    box.appendChild(thumbs);
    box.appendChild(note);
    box.appendChild(reasons);
    row.insertBefore(box, row.firstChild ? row.firstChild.nextSibling : null); // right under the answer
  }

  window.PdqFeedback = { attach: attach, wantsFeedback: wantsFeedback };
})();
