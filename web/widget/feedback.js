/*
 * Answer feedback under a bot reply, for the website widget and the kiosk (issue 19). Exposes
 * window.PdqFeedback.attach; needs chat-core.js (window.PdqChatCore) loaded first.
 *
 * Under every reply whose type is in REPLY_CONTRACT.feedback.answerTypes and that has an answer id: 👍 / 👎
 * (buttons labelled "This answer helped" / "This answer didn't help", aria-pressed once tapped). A tap sends
 * /feedback{"answer_id": ..., "rating": ...} over the page's conversation with Conversation.sendQuietly, so the
 * server's thank-you is shown here, under the rated answer, in a polite status line: nothing is added to the
 * end of the conversation, the focus stays where it is and nothing scrolls. After 👎 the server offers the
 * reasons as buttons; a tap on one sends it the same way. No text box, nothing about the family is sent.
 * A later tap on the other thumb changes the rating (the last one counts).
 *
 * attach(row, reply, options): row = the reply's element (the buttons go at its end), reply = {answerType,
 * answerId, feedback?: {rating, reason}} (feedback: what was tapped, restored after a reload),
 * options = {send(payload, onReply), onChange(feedback)?, classPrefix?: "pdq-" in the widget}.
 */
(function () {
  "use strict";

  if (window.PdqFeedback) {
    return;
  }

  var RATING_LABELS = {}; // rating -> [symbol, accessible name]

  function contract() {
    return window.PdqChatCore.REPLY_CONTRACT.feedback;
  }

  function labels() {
    var ratings = contract().ratings;
    RATING_LABELS[ratings.UP] = ["👍", "This answer helped"];
    RATING_LABELS[ratings.DOWN] = ["👎", "This answer didn't help"];
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
      var symbol = document.createElement("span");
      symbol.setAttribute("aria-hidden", "true");
      symbol.textContent = RATING_LABELS[rating][0];
      b.appendChild(symbol);
      b.addEventListener("click", function () {
        if (state.rating === rating) {
          return;
        }
        state.rating = rating;
        state.reason = null;
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
    row.appendChild(box);
  }

  window.PdqFeedback = { attach: attach, wantsFeedback: wantsFeedback };
})();
