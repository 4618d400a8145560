// Trợ lý ảo: what the question forms (chat.js) need to show an answer: the server-sent events of the
// stream parsed, the final answer built with DOM methods (its paragraphs, each [n] a link to the source
// it cites, the numbered sources, the notes), the API's refusals in Vietnamese. No HTML from the server
// is injected; links go only to the site's own paths or to http(s) addresses.
(function () {
  "use strict";

  var MODES = {
    curated: "Hỏi đáp đã biên soạn",
    extractive: "Trích dẫn nguyên văn",
    generative: "Mô hình ngôn ngữ"
  };
  var TEXT = {
    empty: "Hãy nhập câu hỏi.",
    network: "Không kết nối được máy chủ. Hãy kiểm tra mạng rồi hỏi lại.",
    broken: "Câu trả lời bị gián đoạn. Câu hỏi đã được lưu; hãy xem lại trong trang hội thoại.",
    session: "Phiên đăng nhập đã hết. Hãy tải lại trang, đăng nhập rồi hỏi lại.",
    csrf: "Phiên làm việc đã thay đổi. Hãy tải lại trang rồi hỏi lại.",
    server: "Máy chủ đang gặp lỗi. Hãy thử lại sau ít phút.",
    searching: "Đang tìm trong thư viện và kiến thức nghiệp vụ…",
    writing: "Đang soạn câu trả lời…",
    rewriting: "Đang soạn lại câu trả lời…",
    thanks: "Cảm ơn bạn đã đánh giá."
  };
  var REF = /\[(\d{1,2})\]/g;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function citationLabel(source) {
    var label = source.label || "";
    var title = source.title || "";
    return label && label !== title ? label + " – " + title : title || label;
  }

  // A safe link: only the site's own paths and http(s) addresses.
  function safeUrl(url) {
    url = String(url || "");
    return /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : "#";
  }

  // The answer's paragraphs (blank lines), its line breaks, each [n] a link to the source it cites.
  function answerNodes(text, citations) {
    var byNumber = {};
    (citations || []).forEach(function (c) { byNumber[c.n] = c; });
    var out = [];
    String(text || "").split(/\n\s*\n/).forEach(function (para) {
      para = para.trim();
      if (!para) {
        return;
      }
      var p = el("p");
      para.split("\n").forEach(function (line, i) {
        if (i > 0) {
          p.appendChild(el("br"));
        }
        var last = 0;
        line.replace(REF, function (match, n, offset) {
          p.appendChild(document.createTextNode(line.slice(last, offset)));
          var cited = byNumber[parseInt(n, 10)];
          p.appendChild(cited ? el("a", { "class": "as-ref", href: safeUrl(cited.url), title: citationLabel(cited),
            text: match }) : document.createTextNode(match));
          last = offset + match.length;
          return match;
        });
        p.appendChild(document.createTextNode(line.slice(last)));
      });
      out.push(p);
    });
    return out;
  }

  function sourceList(items) {
    return el("ol", { "class": "as-sources" }, items.map(function (s) {
      var li = el("li", {}, [el("a", { href: safeUrl(s.url), text: citationLabel(s) })]);
      if (s.n) {
        li.setAttribute("value", s.n);
      }
      if (s.repealed) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { "class": "badge badge-late", text: s.status || "Hết hiệu lực" }));
      }
      if (s.text) {
        li.appendChild(el("blockquote", { "class": "as-excerpt", text: s.text }));
      }
      return li;
    }));
  }

  async function errorMessage(response) {
    var detail = "";
    try {
      var data = await response.json();
      detail = data && typeof data.detail === "string" ? data.detail : "";
    } catch (e) {
      detail = "";
    }
    if (response.status === 401) {
      return TEXT.session;
    }
    if (response.status === 403 && /csrf/i.test(detail)) {
      return TEXT.csrf;
    }
    if (response.status >= 500 || !detail) {
      return response.status >= 500 ? TEXT.server : "Không gửi được câu hỏi (mã lỗi " + response.status + ").";
    }
    return detail;
  }

  // The server-sent events of one block ("event: NAME\ndata: JSON").
  function parseBlock(block) {
    var name = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) {
        name = line.slice(6).trim();
      } else if (line.indexOf("data:") === 0) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    });
    if (!data.length) {
      return null;
    }
    try {
      return { name: name, data: JSON.parse(data.join("\n")) };
    } catch (e) {
      return null;
    }
  }

  // The final answer in a turn's box: what it is (outcome, mode), its text, what it cites, the closest
  // sources, the notes. ``turn`` holds the box (answer), its status line and its text element.
  function fill(turn, message) {
    turn.text.classList.remove("as-streaming");
    turn.text.removeAttribute("aria-busy");
    turn.text.textContent = "";
    answerNodes(message.answer, message.citations).forEach(function (p) { turn.text.appendChild(p); });
    var meta = el("p", { "class": "as-meta small muted" });
    if (message.outcome !== "answered") {
      meta.appendChild(el("span", { "class": "badge as-outcome-" + message.outcome, text: message.outcome_label }));
    }
    if (MODES[message.mode]) {
      meta.appendChild(el("span", { text: MODES[message.mode] }));
    }
    turn.status.replaceWith(meta);
    var citations = message.citations || [];
    var sources = message.sources || [];
    if (citations.length) {
      turn.answer.appendChild(el("h3", { "class": "as-subhead", text: "Nguồn trích dẫn" }));
      turn.answer.appendChild(sourceList(citations));
    }
    if (sources.length) {
      if (message.outcome === "abstained") {
        turn.answer.appendChild(el("h3", { "class": "as-subhead", text: "Các nguồn gần nhất" }));
        turn.answer.appendChild(sourceList(sources));
      } else {
        turn.answer.appendChild(el("details", { "class": "as-more" }, [
          el("summary", { text: "Nguồn liên quan khác (" + sources.length + ")" }), sourceList(sources)]));
      }
    }
    if ((message.notes || []).length) {
      turn.answer.appendChild(el("ul", { "class": "as-notes small" }, message.notes.map(function (n) {
        return el("li", { text: n });
      })));
    }
  }

  window.MTSAssistant = { TEXT: TEXT, el: el, errorMessage: errorMessage, parseBlock: parseBlock, fill: fill };
})();
