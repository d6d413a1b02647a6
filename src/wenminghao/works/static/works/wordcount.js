// Word's 字数 for Chinese text, the same rule as works/attachment1.py count_characters (keep the two in step):
// each CJK character or full-width punctuation mark counts one; each run of other non-space characters
// (Latin letters, digits and what joins them, like 3.5 or e-mail) counts one. The server's count is the one
// that is stored and checked; this one is only shown while typing.
(function () {
  "use strict";
  var CJK =
    "\\u2e80-\\u2fdf\\u3000-\\u303f\\u3040-\\u30ff\\u3100-\\u312f\\u3190-\\u31ef\\u3200-\\u32ff\\u3400-\\u4dbf" +
    "\\u4e00-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u2018-\\u201f\\u2026\\u2014\\u00b7" +
    "\\u{20000}-\\u{2fa1f}";
  // Python's \s for text (str.isspace), which is not quite JavaScript's \s.
  var SPACE = "\\t\\n\\v\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var WORD = new RegExp("[" + CJK + "]|[^" + SPACE + CJK + "]+", "gu");
  var EDGE = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "gu");

  // Characters as the description rule counts them: code points after trimming white space (len(text.strip())).
  function countLength(text) {
    return Array.from((text || "").replace(EDGE, "")).length;
  }

  function countCharacters(text) {
    var found = (text || "").match(WORD);
    return found ? found.length : 0;
  }

  window.wmhCountLength = countLength;
  window.wmhCountCharacters = countCharacters;
})();
