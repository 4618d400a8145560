// Mặt trận số: the anti-spam proof of work (server side: digitalfront/core/challenge.py, docs/abuse.md).
// For every <input name="challenge" data-challenge='{"algorithm":"SHA-256","salt":...}'> on the page, find a
// number `nonce` such that SHA-256(salt + nonce written in decimal) starts with `difficulty` zero bits,
// then write the challenge with its nonce, as JSON, into the input. Work runs in short slices so the page
// stays responsive while the citizen types; a form sent before the answer is ready waits for it and is
// then sent on its own. Plain ES2017, no dependencies. Also loadable by Node (module.exports) for tests.
(function (root) {
  "use strict";

  var MAX_NONCE = 9007199254740991; // Number.MAX_SAFE_INTEGER: the server refuses larger
  var SLICE_MS = 40; // work per slice before the page gets the main thread back
  var SUBTLE_BATCH = 256; // digests started together when crypto.subtle is used (each one is a Promise)

  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Int32Array(64);
  var STATE = new Int32Array(8);
  var INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
    0x5be0cd19]);

  // One SHA-256 block: W[0..15] holds the block's words; STATE is updated.
  function compress() {
    var i, x, y, t1, t2;
    for (i = 16; i < 64; i++) {
      x = W[i - 15];
      y = W[i - 2];
      W[i] = (W[i - 16] + ((x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ (x >>> 3)) + W[i - 7] +
        ((y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ (y >>> 10))) | 0;
    }
    var a = STATE[0], b = STATE[1], c = STATE[2], d = STATE[3];
    var e = STATE[4], f = STATE[5], g = STATE[6], h = STATE[7];
    for (i = 0; i < 64; i++) {
      t1 = (h + ((e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7)) +
        ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      t2 = (((a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10)) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    STATE[0] += a; STATE[1] += b; STATE[2] += c; STATE[3] += d;
    STATE[4] += e; STATE[5] += f; STATE[6] += g; STATE[7] += h;
  }

  // SHA-256 of a byte array (Uint8Array or plain array of 0..255), in pure JavaScript; returns 32 bytes.
  // Pure JavaScript because crypto.subtle exists only on secure (HTTPS) origins, and is slower here anyway.
  function sha256(bytes) {
    var length = bytes.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000)); // bit length, high word
    view.setUint32(padded.length - 4, (length * 8) >>> 0); // bit length, low word
    STATE.set(INITIAL);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i++) W[i] = view.getInt32(offset + i * 4);
      compress();
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    for (var k = 0; k < 8; k++) outView.setInt32(k * 4, STATE[k]);
    return out;
  }

  // The solver's hot path: SHA-256 of a short ASCII text (at most 55 characters: one block) without
  // allocating anything; leaves the digest's words in STATE. salt (32 hex) + nonce (<= 16 digits) fits.
  function hashShortAscii(text) {
    var length = text.length;
    W.fill(0, 0, 16);
    for (var i = 0; i < length; i++) W[i >> 2] |= text.charCodeAt(i) << (24 - ((i & 3) << 3));
    W[length >> 2] |= 0x80 << (24 - ((length & 3) << 3));
    W[15] = length * 8;
    STATE.set(INITIAL);
    compress();
  }

  // At least `bits` leading zero bits in the digest words (the server's challenge.meets()).
  function wordsHaveZeroBits(words, bits) {
    for (var i = 0; bits > 0; i++, bits -= 32) {
      if (bits >= 32 ? words[i] !== 0 : Math.clz32(words[i]) < bits) return false;
    }
    return true;
  }

  // The same rule on a digest given as bytes (crypto.subtle's answer).
  function hasZeroBits(digest, bits) {
    var full = bits >> 3;
    for (var i = 0; i < full; i++) {
      if (digest[i] !== 0) return false;
    }
    var rest = bits & 7;
    return rest === 0 || (digest[full] >> (8 - rest)) === 0;
  }

  // Salt and nonce are ASCII (hex digits and decimal digits): one byte per character.
  function ascii(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function now() {
    return (root.performance && root.performance.now) ? root.performance.now() : Date.now();
  }

  function pause() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function subtleOf(scope) {
    var c = scope && scope.crypto;
    return c && c.subtle && typeof c.subtle.digest === "function" ? c.subtle : null;
  }

  // Find the nonce for `challenge`; resolves to it. The pure-JS hash is the default: measured in Chromium
  // it does about 1.2 million hashes per second against 0.1 million for crypto.subtle.digest, whose
  // every call is a Promise (docs/abuse.md). options.method = "subtle" uses crypto.subtle where it exists
  // (secure origins). options.onProgress receives the number of nonces tried after each slice.
  async function solve(challenge, options) {
    options = options || {};
    var salt = String(challenge.salt);
    var bits = Number(challenge.difficulty);
    var subtle = options.method === "subtle" ? subtleOf(root) : null;
    var nonce = 0;
    while (nonce <= MAX_NONCE) {
      var until = now() + SLICE_MS;
      if (subtle) {
        try {
          do {
            var pending = [];
            for (var j = 0; j < SUBTLE_BATCH; j++) {
              pending.push(subtle.digest("SHA-256", ascii(salt + (nonce + j))));
            }
            var digests = await Promise.all(pending);
            for (j = 0; j < digests.length; j++) {
              if (hasZeroBits(new Uint8Array(digests[j]), bits)) return nonce + j;
            }
            nonce += SUBTLE_BATCH;
          } while (now() < until);
        } catch (error) {
          subtle = null; // digest refused (odd browser): carry on in pure JS from the same nonce
        }
      } else {
        do {
          for (var k = 0; k < 1000; k++, nonce++) {
            var text = salt + nonce;
            if (text.length <= 55) {
              hashShortAscii(text);
              if (wordsHaveZeroBits(STATE, bits)) return nonce;
            } else if (hasZeroBits(sha256(ascii(text)), bits)) {
              return nonce;
            }
          }
        } while (now() < until);
      }
      if (options.onProgress) options.onProgress(nonce);
      await pause();
    }
    throw new Error("no nonce found");
  }

  var api = { sha256: sha256, hasZeroBits: hasZeroBits, solve: solve };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return; // Node: the functions only
  if (root.DigitalFrontChallenge) return; // included twice on one page: one copy is enough
  root.DigitalFrontChallenge = api;

  var TEXT_WORKING = "Đang kiểm tra chống spam…";
  var TEXT_DONE = "Đã xong";
  var TEXT_FAILED = "Không kiểm tra chống spam được. Hãy tải lại trang rồi gửi lại.";
  var states = new WeakMap(); // form -> {done, sendWhenDone, submitter}

  function statusFor(input) {
    var box = input.parentNode && input.parentNode.querySelector("[data-challenge-status]");
    return function (text) {
      if (!box) return;
      box.textContent = text;
      box.hidden = false;
    };
  }

  function start(input) {
    if (input.dataset.challengeStarted) return;
    input.dataset.challengeStarted = "1";
    var form = input.form;
    var say = statusFor(input);
    var state = { done: false, sendWhenDone: false, submitter: null };
    if (form) states.set(form, state);
    var challenge;
    try {
      challenge = JSON.parse(input.getAttribute("data-challenge"));
    } catch (error) {
      say(TEXT_FAILED);
      return;
    }
    say(TEXT_WORKING);
    solve(challenge).then(function (nonce) {
      var answer = {};
      Object.keys(challenge).forEach(function (key) { answer[key] = challenge[key]; });
      answer.nonce = nonce;
      input.value = JSON.stringify(answer);
      state.done = true;
      say(TEXT_DONE);
      if (state.sendWhenDone && form) {
        if (form.requestSubmit) {
          form.requestSubmit(state.submitter || undefined);
        } else {
          form.submit();
        }
      }
    }, function () {
      state.done = true; // let the form go: the server answers with its own message
      say(TEXT_FAILED);
    });
  }

  // Capture phase on window: runs before any other submit handler (app.js's double-send guard would
  // otherwise block the automatic send that follows).
  root.addEventListener("submit", function (event) {
    var state = states.get(event.target);
    if (!state || state.done) return;
    event.preventDefault();
    event.stopPropagation();
    state.sendWhenDone = true;
    state.submitter = event.submitter || null;
  }, true);

  function startAll() {
    var inputs = document.querySelectorAll('input[name="challenge"][data-challenge]');
    for (var i = 0; i < inputs.length; i++) start(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})(typeof window !== "undefined" ? window : globalThis);
