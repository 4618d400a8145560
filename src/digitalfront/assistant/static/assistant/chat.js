// Trợ lý ảo: the question forms (the assistant's pages, the widget of every staff page) show the answer
// as it is written. The form is sent to the API's stream (server-sent events read from fetch), the text
// appears piece by piece, then the final answer replaces it with its numbered citations (answer.js) and
// the rating buttons. The conversation continues with the next question: the page's address becomes the
// conversation's, the widget keeps its conversation in sessionStorage from page to page. Without this
// file (or without fetch streaming) the same forms post to the page, which answers in full.
(function () {
  "use strict";
  var A = window.MTSAssistant;
  if (!A || !window.fetch || !window.TextDecoder || !window.ReadableStream) {
    return;
  }
  var TEXT = A.TEXT;
  var el = A.el;

  function setup(form) {
    var thread = document.getElementById(form.getAttribute("data-thread"));
    var textarea = form.querySelector("textarea[name=question]");
    var hidden = form.querySelector("input[name=conversation_id]");
    var button = form.querySelector("button[type=submit]");
    var errorBox = form.querySelector(".as-error");
    var storageKey = form.getAttribute("data-storage") || "";
    var widget = form.closest(".aw");
    var busy = false;
    if (!thread || !textarea || !hidden) {
      return;
    }

    function url(template, id) {
      return template.replace("/0/", "/" + encodeURIComponent(id) + "/");
    }
    function conversationUrl(id) {
      return url(form.getAttribute("data-conversation"), id);
    }
    function token() {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }
    function showError(message) {
      if (errorBox) {
        errorBox.textContent = message;
        errorBox.hidden = false;
      }
    }
    function hideError() {
      if (errorBox) {
        errorBox.textContent = "";
        errorBox.hidden = true;
      }
    }
    function scroll(node) {
      if (widget) {
        thread.scrollTop = thread.scrollHeight;
      } else if (node && node.scrollIntoView) {
        node.scrollIntoView({ block: "nearest" });
      }
    }

    function setConversation(id) {
      hidden.value = id ? String(id) : "";
      if (storageKey) {
        try {
          if (id) {
            window.sessionStorage.setItem(storageKey, String(id));
          } else {
            window.sessionStorage.removeItem(storageKey);
          }
        } catch (e) { /* storage refused: the conversation lasts as long as the page */ }
      }
      if (form.hasAttribute("data-history") && id && window.history.replaceState) {
        var target = conversationUrl(id);
        if (window.location.pathname !== target) {
          window.history.replaceState(null, "", target);
        }
      }
      if (widget) {
        var full = widget.querySelector("[data-aw-full]");
        var fresh = widget.querySelector("[data-aw-new]");
        if (full) {
          full.href = id ? conversationUrl(id) : full.getAttribute("data-home") || full.href;
        }
        if (fresh) {
          fresh.hidden = !id;
        }
      }
    }

    function newTurn(question) {
      var status = el("p", { "class": "as-status", role: "status", text: TEXT.searching });
      var text = el("div", { "class": "as-text as-streaming", "aria-busy": "true" });
      var answer = el("div", { "class": "as-answer card" }, [status, text]);
      var turn = el("article", { "class": "as-turn" }, [
        el("p", { "class": "as-question" }, [el("span", { "class": "visually-hidden", text: "Câu hỏi: " }), question]),
        answer
      ]);
      var hint = thread.querySelector(".aw-hint");
      if (hint) {
        hint.remove();
      }
      thread.appendChild(turn);
      scroll(turn);
      return { node: turn, answer: answer, status: status, text: text, buffer: "", id: null, conversation: null };
    }

    function rating(message) {
      var note = el("p", { "class": "small", role: "status" });
      var buttons = [["helpful", "Hữu ích"], ["unhelpful", "Chưa hữu ích"]].map(function (pair) {
        var b = el("button", { type: "button", "class": "button", "data-rating": pair[0], text: pair[1] });
        if (message.rating === pair[0]) {
          b.setAttribute("aria-pressed", "true");
        }
        b.addEventListener("click", async function () {
          note.textContent = "";
          try {
            var response = await fetch(url(form.getAttribute("data-rate"), message.id), {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token() },
              body: JSON.stringify({ rating: pair[0], comment: "" })
            });
            if (!response.ok) {
              note.textContent = await A.errorMessage(response);
              return;
            }
            buttons.forEach(function (other) { other.removeAttribute("aria-pressed"); });
            b.setAttribute("aria-pressed", "true");
            note.textContent = TEXT.thanks;
          } catch (e) {
            note.textContent = TEXT.network;
          }
        });
        return b;
      });
      return el("div", { "class": "as-rate" }, [
        el("p", { "class": "small", text: "Câu trả lời này có hữu ích không?" }),
        el("div", { "class": "actions" }, buttons),
        note
      ]);
    }

    function finish(turn, message) {
      turn.id = message.id;
      turn.node.id = "tin-" + message.id;
      A.fill(turn, message);
      if (message.id && message.outcome !== "pending") {
        turn.answer.appendChild(rating(message));
      }
      if (widget && message.conversation_id) {
        turn.answer.appendChild(el("p", { "class": "small" }, [el("a", {
          href: conversationUrl(message.conversation_id) + "#tin-" + message.id, text: "Xem trong trang hội thoại" })]));
      }
      scroll(turn.node);
    }

    function broken(turn) {
      turn.text.classList.remove("as-streaming");
      turn.text.removeAttribute("aria-busy");
      turn.status.textContent = "";
      var box = el("p", { "class": "field-error", role: "alert", text: TEXT.broken + " " });
      if (turn.conversation) {
        box.appendChild(el("a", { href: conversationUrl(turn.conversation) + (turn.id ? "#tin-" + turn.id : ""),
          text: "Mở trang hội thoại" }));
      }
      turn.answer.appendChild(box);
    }

    function handle(turn, event) {
      var data = event.data || {};
      if (event.name === "start") {
        turn.id = data.message_id;
        turn.conversation = data.conversation_id;
        setConversation(data.conversation_id);
      } else if (event.name === "sources") {
        turn.status.textContent = TEXT.writing;
      } else if (event.name === "delta") {
        turn.buffer += data.text || "";
        turn.text.textContent = turn.buffer;
        scroll(null);
      } else if (event.name === "reset") {
        turn.buffer = "";
        turn.text.textContent = "";
        turn.status.textContent = TEXT.rewriting;
      } else if (event.name === "done" && data.message) {
        finish(turn, data.message);
        return true;
      }
      return false;
    }

    async function read(turn, response) {
      var reader = response.body.getReader();
      var decoder = new TextDecoder("utf-8");
      var buffer = "";
      var done = false;
      try {
        for (;;) {
          var chunk = await reader.read();
          if (chunk.done) {
            break;
          }
          buffer += decoder.decode(chunk.value, { stream: true });
          var end = buffer.indexOf("\n\n");
          while (end >= 0) {
            var event = A.parseBlock(buffer.slice(0, end).replace(/\r/g, ""));
            buffer = buffer.slice(end + 2);
            if (event && handle(turn, event)) {
              done = true;
            }
            end = buffer.indexOf("\n\n");
          }
        }
      } catch (e) {
        // the connection dropped: what was received stays on the page, with the notice below
      }
      if (!done) {
        broken(turn);
      }
    }

    async function ask(question, retried) {
      var id = hidden.value ? parseInt(hidden.value, 10) : null;
      var response;
      try {
        response = await fetch(form.getAttribute("data-stream"), {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-CSRFToken": token() },
          body: JSON.stringify({ question: question, conversation_id: id })
        });
      } catch (e) {
        showError(TEXT.network);
        return;
      }
      if (!response.ok) {
        if (response.status === 404 && id && !retried) {
          // the conversation kept from earlier is gone (or another account signed in): start a new one
          setConversation(null);
          return ask(question, true);
        }
        showError(await A.errorMessage(response));
        return;
      }
      textarea.value = "";
      await read(newTurn(question), response);
    }

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      var question = textarea.value;
      if (!question.trim()) {
        showError(TEXT.empty);
        textarea.focus();
        return;
      }
      hideError();
      busy = true;
      form.setAttribute("aria-busy", "true");
      if (button) {
        button.disabled = true;
      }
      try {
        await ask(question, false);
      } finally {
        busy = false;
        form.removeAttribute("aria-busy");
        if (button) {
          button.disabled = false;
        }
      }
    });

    // Ctrl+Enter (⌘+Enter) sends; Enter alone makes a new line.
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.dispatchEvent(new Event("submit", { cancelable: true }));
        }
      }
    });

    if (widget) {
      var full = widget.querySelector("[data-aw-full]");
      if (full) {
        full.setAttribute("data-home", full.getAttribute("href"));
      }
      var kept = "";
      try {
        kept = storageKey ? window.sessionStorage.getItem(storageKey) || "" : "";
      } catch (e) {
        kept = "";
      }
      if (/^\d+$/.test(kept)) {
        setConversation(kept);
      }
      var fresh = widget.querySelector("[data-aw-new]");
      if (fresh) {
        fresh.addEventListener("click", function () {
          setConversation(null);
          thread.textContent = "";
          hideError();
          textarea.focus();
        });
      }
      widget.addEventListener("toggle", function () {
        if (widget.open) {
          textarea.focus();
        }
      });
    }
  }

  document.querySelectorAll("form[data-assistant-chat]").forEach(setup);
})();
