/*
 * The desk's structured body editor (issue 15): paragraphs, subheads, figures with captions, links.
 *
 * It takes over a <textarea data-body-editor> and edits the body on a contenteditable element that
 * carries the reader page's own body class, so the text looks as it will on the site. Pasted
 * text from Word, WPS or web pages is cleaned to the markup the server keeps (the same rules as
 * huiwen.backoffice.bodytext and the sanitiser: paragraphs, h2/h3, strong/em, lists, quotes,
 * links, figures), and the textarea receives the editor's HTML on submit. Without JavaScript the
 * textarea stays, and the server turns typed lines into paragraphs itself.
 *
 * A static file, no inline script: the site's Content-Security-Policy forbids inline scripts.
 */
(function () {
  "use strict";

  var KEEP = { P: 1, H2: 1, H3: 1, H4: 1, STRONG: 1, EM: 1, U: 1, SUB: 1, SUP: 1, BLOCKQUOTE: 1, UL: 1, OL: 1,
               LI: 1, FIGURE: 1, FIGCAPTION: 1, IMG: 1, A: 1, BR: 1, TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1,
               TD: 1 };
  var RENAME = { B: "STRONG", I: "EM", H1: "H2", H5: "H3", H6: "H3" };
  var DROP = { SCRIPT: 1, STYLE: 1, META: 1, LINK: 1, TITLE: 1, HEAD: 1, IFRAME: 1, OBJECT: 1, EMBED: 1,
               FORM: 1, INPUT: 1, BUTTON: 1, SELECT: 1, TEXTAREA: 1, SVG: 1, CANVAS: 1, NOSCRIPT: 1,
               TEMPLATE: 1, XML: 1 };
  var BLOCK = { P: 1, H2: 1, H3: 1, H4: 1, BLOCKQUOTE: 1, UL: 1, OL: 1, FIGURE: 1, TABLE: 1, DIV: 1 };

  // The rel the server's sanitiser gives every link (the textarea's data-link-rel), so that what the
  // editor holds is exactly what is stored.
  var source = document.querySelector("textarea[data-body-editor]");
  var linkRel = source ? source.getAttribute("data-link-rel") || "" : "";

  function safeUrl(value) {
    var url = (value || "").trim();
    return /^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url) ? url : "";
  }

  /* A clean copy of `source`'s children, appended to `target` (an element of `doc`). */
  function cleanInto(source, target, doc) {
    for (var node = source.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        target.appendChild(doc.createTextNode(node.nodeValue));
        continue;
      }
      if (node.nodeType !== 1) continue;  // comments, Word's conditional blocks
      var tag = node.tagName.toUpperCase();
      if (tag.indexOf(":") >= 0 || DROP[tag]) continue;  // o:p, v:shape, w:sdt …
      tag = RENAME[tag] || tag;
      if (tag === "DIV" || tag === "SECTION" || tag === "ARTICLE" || tag === "MAIN" || tag === "HEADER" ||
          tag === "FOOTER" || tag === "ASIDE") {
        var box = doc.createElement("div");  // flattened into paragraphs by normalise()
        cleanInto(node, box, doc);
        target.appendChild(box);
        continue;
      }
      if (!KEEP[tag]) {  // span, font, center …: the text stays, the wrapper goes
        cleanInto(node, target, doc);
        continue;
      }
      var copy = doc.createElement(tag);
      if (tag === "A") {
        var href = safeUrl(node.getAttribute("href"));
        if (!href) { cleanInto(node, target, doc); continue; }
        copy.setAttribute("href", href);
        if (linkRel) copy.setAttribute("rel", linkRel);  // what the server's sanitiser sets
      } else if (tag === "IMG") {
        var src = safeUrl(node.getAttribute("src"));
        if (!src) continue;  // data: and file: images cannot be stored from here
        copy.setAttribute("src", src);
        if (node.getAttribute("alt")) copy.setAttribute("alt", node.getAttribute("alt"));
      }
      cleanInto(node, copy, doc);
      target.appendChild(copy);
    }
  }

  /* Top-level text and inline runs into paragraphs (one per line), divs of inline content into <p>. */
  function normalise(root, doc) {
    var out = doc.createElement("div");
    var paragraph = null;
    function open() { if (!paragraph) { paragraph = doc.createElement("p"); out.appendChild(paragraph); } }
    function close() { paragraph = null; }
    function addInline(node) {
      if (node.nodeType === 3) {
        var lines = node.nodeValue.split("\n");
        for (var i = 0; i < lines.length; i++) {
          if (i > 0) close();
          if (lines[i].trim()) { open(); paragraph.appendChild(doc.createTextNode(lines[i])); }
        }
      } else if (node.tagName === "BR") {
        close();
      } else {
        open();
        paragraph.appendChild(node);
      }
    }
    var children = Array.prototype.slice.call(root.childNodes);
    children.forEach(function (node) {
      if (node.nodeType === 1 && node.tagName === "DIV") {
        var blocks = Array.prototype.some.call(node.children, function (c) { return BLOCK[c.tagName]; });
        if (blocks) {
          close();
          Array.prototype.slice.call(normalise(node, doc).childNodes).forEach(function (c) { out.appendChild(c); });
        } else {
          close();
          Array.prototype.slice.call(node.childNodes).forEach(addInline);
          close();
        }
      } else if (node.nodeType === 1 && BLOCK[node.tagName]) {
        close();
        out.appendChild(node);
      } else {
        addInline(node);
      }
    });
    Array.prototype.slice.call(out.querySelectorAll("p")).forEach(function (p) {
      if (!p.textContent.trim() && !p.querySelector("img")) p.parentNode.removeChild(p);
    });
    return out;
  }

  function cleanHtml(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var holder = document.createElement("div");
    cleanInto(parsed.body, holder, document);
    return normalise(holder, document);
  }

  function textToHtml(text) {
    var holder = document.createElement("div");
    holder.appendChild(document.createTextNode(text.replace(/\r\n?/g, "\n")));
    return normalise(holder, document);
  }

  function serialise(editor) {
    var copy = document.createElement("div");
    cleanInto(editor, copy, document);
    return normalise(copy, document).innerHTML;
  }

  function button(label, title, onPress) {
    var made = document.createElement("button");
    made.type = "button";
    made.textContent = label;
    made.title = title;
    made.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
    made.addEventListener("click", onPress);
    return made;
  }

  function field(labelText, name) {
    var label = document.createElement("label");
    label.textContent = labelText + " ";
    var input = document.createElement("input");
    input.type = "text";
    input.size = 36;
    input.dataset.editorField = name;
    label.appendChild(input);
    return label;
  }

  function attach(textarea) {
    var editor = document.createElement("div");
    editor.className = "body-editor article-body";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-label", "正文");
    editor.id = textarea.id + "-editor";
    editor.innerHTML = cleanHtml(textarea.value).innerHTML;

    var saved = null;  // the selection inside the editor, kept while a panel's fields have the focus
    function remember() {
      var selection = window.getSelection();
      if (selection.rangeCount && editor.contains(selection.anchorNode)) saved = selection.getRangeAt(0).cloneRange();
    }
    function restore() {
      editor.focus();
      if (saved) { var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(saved); }
    }
    editor.addEventListener("keyup", remember);
    editor.addEventListener("mouseup", remember);
    editor.addEventListener("input", remember);

    function insertNodes(nodes) {
      restore();
      var selection = window.getSelection();
      if (!selection.rangeCount) return;
      var range = selection.getRangeAt(0);
      range.deleteContents();
      var fragment = document.createDocumentFragment(), last = null;
      Array.prototype.slice.call(nodes).forEach(function (node) { last = fragment.appendChild(node); });
      // A block pasted inside a paragraph goes after that paragraph, not inside it.
      var block = range.startContainer;
      while (block && block.parentNode !== editor && block !== editor) block = block.parentNode;
      var hasBlocks = Array.prototype.some.call(fragment.childNodes, function (n) { return n.nodeType === 1 && BLOCK[n.tagName]; });
      if (hasBlocks && block && block !== editor) {
        editor.insertBefore(fragment, block.nextSibling);
      } else {
        range.insertNode(fragment);
      }
      if (last) {
        var after = document.createRange();
        after.setStartAfter(last);
        after.collapse(true);
        selection.removeAllRanges();
        selection.addRange(after);
      }
      remember();
    }

    editor.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) return;
      event.preventDefault();
      var html = data.getData("text/html");
      var cleaned = html ? cleanHtml(html) : textToHtml(data.getData("text/plain"));
      insertNodes(cleaned.childNodes);
    });

    var toolbar = document.createElement("div");
    toolbar.className = "body-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文格式");
    function block(tag) { return function () { restore(); document.execCommand("formatBlock", false, tag); remember(); }; }
    toolbar.appendChild(button("段落", "把所在段落设为正文段落", block("p")));
    toolbar.appendChild(button("小标题", "把所在段落设为小标题", block("h2")));
    toolbar.appendChild(button("加粗", "加粗选中的文字", function () { restore(); document.execCommand("bold"); }));

    var linkPanel = document.createElement("div");
    linkPanel.className = "body-editor-panel";
    linkPanel.hidden = true;
    linkPanel.appendChild(field("链接地址", "href"));
    var imagePanel = document.createElement("div");
    imagePanel.className = "body-editor-panel";
    imagePanel.hidden = true;
    imagePanel.appendChild(field("图片地址", "src"));
    imagePanel.appendChild(field("图片说明", "caption"));

    function panelInput(panel, name) { return panel.querySelector("[data-editor-field='" + name + "']"); }
    function togglePanel(panel) {
      return function () {
        remember();
        var show = panel.hidden;
        linkPanel.hidden = imagePanel.hidden = true;
        panel.hidden = !show;
        if (show) panel.querySelector("input").focus();
      };
    }
    function insertLink() {
      var href = safeUrl(panelInput(linkPanel, "href").value);
      if (!href) { panelInput(linkPanel, "href").setCustomValidity("请填写 http:// 或 https:// 开头的地址"); panelInput(linkPanel, "href").reportValidity(); return; }
      restore();
      var selection = window.getSelection();
      var text = selection.rangeCount ? selection.toString() : "";
      var anchor = document.createElement("a");
      anchor.href = href;
      anchor.textContent = text || href;
      insertNodes([anchor]);
      panelInput(linkPanel, "href").value = "";
      linkPanel.hidden = true;
    }
    function insertImage() {
      var src = safeUrl(panelInput(imagePanel, "src").value);
      if (!src) { panelInput(imagePanel, "src").setCustomValidity("请填写 http:// 或 https:// 开头的图片地址"); panelInput(imagePanel, "src").reportValidity(); return; }
      var caption = panelInput(imagePanel, "caption").value.trim();
      var figure = document.createElement("figure");
      var image = document.createElement("img");
      image.src = src;
      image.alt = caption;
      figure.appendChild(image);
      if (caption) {
        var text = document.createElement("figcaption");
        text.textContent = caption;
        figure.appendChild(text);
      }
      insertNodes([figure]);
      panelInput(imagePanel, "src").value = panelInput(imagePanel, "caption").value = "";
      imagePanel.hidden = true;
    }
    [linkPanel, imagePanel].forEach(function (panel) {
      panel.addEventListener("input", function (event) { event.target.setCustomValidity(""); });
      // Enter in a panel field inserts; it must never submit the article form.
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); (panel === linkPanel ? insertLink : insertImage)(); }
        if (event.key === "Escape") { panel.hidden = true; restore(); }
      });
    });
    linkPanel.appendChild(button("插入链接", "把链接插入正文", insertLink));
    imagePanel.appendChild(button("插入图片", "把图片和说明插入正文", insertImage));
    toolbar.appendChild(button("链接…", "插入链接", togglePanel(linkPanel)));
    toolbar.appendChild(button("图片…", "插入图片和说明", togglePanel(imagePanel)));
    toolbar.appendChild(button("清除格式", "去掉选中文字的格式", function () {
      restore(); document.execCommand("removeFormat"); document.execCommand("unlink");
    }));

    textarea.hidden = true;
    textarea.removeAttribute("required");
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) label.setAttribute("for", editor.id);
    var wrapper = document.createElement("div");
    wrapper.className = "body-editor-wrapper";
    wrapper.appendChild(toolbar);
    wrapper.appendChild(linkPanel);
    wrapper.appendChild(imagePanel);
    wrapper.appendChild(editor);
    textarea.parentNode.insertBefore(wrapper, textarea.nextSibling);
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (ignored) { /* older engines */ }

    textarea.form.addEventListener("submit", function () { textarea.value = serialise(editor); });
    textarea.form.addEventListener("formdata", function (event) { event.formData.set(textarea.name, serialise(editor)); });
  }

  window.huiwenBodyEditor = { cleanHtml: function (html) { return cleanHtml(html).innerHTML; } };
  document.querySelectorAll("textarea[data-body-editor]").forEach(attach);
})();
