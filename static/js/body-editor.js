// The rich-text editor on each textarea statements/widgets.py marks (data-body-editor): the
// editor of django-prose-editor, started here rather than by the library's presets so that it
// runs under the site's Content-Security-Policy (see statements/widgets.py for why).

for (const textarea of document.querySelectorAll("textarea[data-body-editor]")) {
  start(textarea, JSON.parse(textarea.dataset.bodyEditor));
}

async function start(textarea, config) {
  const library = await import(config.module);
  const extensions = Object.entries(config.extensions).map(([name, options]) =>
    options === true ? library[name] : library[name].configure(options),
  );
  const element = document.createElement("div");
  element.className = "prose-editor";
  textarea.before(element);
  element.append(textarea);
  const language = textarea.form?.elements.namedItem(config.languageField);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) label.id = `${textarea.id}_label`;

  const attributes = () => {
    const code = language?.value;
    return {
      role: "textbox",
      "aria-multiline": "true",
      ...(label ? { "aria-labelledby": label.id } : {}),
      ...(textarea.hasAttribute("aria-describedby")
        ? { "aria-describedby": textarea.getAttribute("aria-describedby") }
        : {}),
      ...(config.directions[code] ? { lang: code, dir: config.directions[code] } : { dir: "auto" }),
    };
  };
  const editorProps = () => ({
    attributes: attributes(),
    handleKeyDown: (_view, event) => event.altKey && event.key === "F10" && toToolbar(editor),
    transformPastedHTML: withoutInlineCode,
    clipboardParser: {
      parseSlice(dom, options) {
        restoreStyles(dom);
        return library.pm.model.DOMParser.fromSchema(editor.schema).parseSlice(dom, options);
      },
    },
  });
  const editor = new library.Editor({
    element,
    extensions,
    content: textarea.value,
    // Tiptap would add its base styles as an inline <style>, which the CSP refuses; they are in
    // body-editor.css instead.
    injectCSS: false,
    editorProps: editorProps(),
    onUpdate() {
      textarea.value = editor.isEmpty ? "" : editor.getHTML();
    },
  });
  language?.addEventListener("change", () => {
    editor.setOptions({ editorProps: editorProps() });
  });
  // The field's label names the editable text, and a click on it goes there.
  label?.addEventListener("click", () => editor.commands.focus());
  // The toolbar is built once the editor is created (Tiptap says so a moment later).
  editor.on("create", () => describeToolbar(editor, config));
}

// Word and web pages put inline styles, event handlers and <style> elements into the HTML they
// copy. The CSP refuses (and reports) each one as soon as the editor reads that HTML, even into a
// detached document. So handlers and <style> elements go before it is read, and each style
// attribute is carried under another name, then given back through the CSS object model (which
// the CSP allows) for the editor's rules that read styles: Google Docs marks bold and italic
// with them. The editor's schema keeps no style; the server's allow-list, alone trusted, none.
const PASTED_STYLE = "data-pasted-style";

function withoutInlineCode(html) {
  return html
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<[a-z][^<>]*>/gi, (tag) =>
      tag
        .replace(/\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, "")
        .replace(/\sstyle\s*=/gi, ` ${PASTED_STYLE}=`),
    );
}

function restoreStyles(dom) {
  for (const element of dom.querySelectorAll(`[${PASTED_STYLE}]`)) {
    element.style.cssText = element.getAttribute(PASTED_STYLE);
  }
}

function toToolbar(editor) {
  const buttons = editor.storage.menu.dom.querySelectorAll("button[data-name]");
  const usable = [...buttons].find((b) => b.checkVisibility() && !b.classList.contains("disabled"));
  usable?.focus();
  return Boolean(usable);
}

// The toolbar says what it is, what each button does (in the admin's language, with its keys)
// and which buttons are on or unavailable where the cursor is.
function describeToolbar(editor, config) {
  const toolbar = editor.storage.menu.dom;
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", config.toolbar);
  // Alt+F10 from the text goes to the toolbar (as in other editors), Escape goes back.
  toolbar.setAttribute("aria-keyshortcuts", "Alt+F10");
  toolbar.addEventListener("keydown", (event) => {
    if (event.key === "Escape") editor.commands.focus();
  });
  const buttons = [...toolbar.querySelectorAll("button[data-name]")];
  for (const button of buttons) {
    const label = config.labels[button.dataset.name];
    if (label) {
      button.title = label;
      button.setAttribute("aria-label", label);
    }
  }
  // Undo, redo and "remove link" act once; every other button turns a format on or off.
  const toggles = buttons.filter((b) => !/^history:|^unlink$/.test(b.dataset.name));
  const update = () => {
    for (const button of toggles) {
      button.setAttribute("aria-pressed", String(button.classList.contains("active")));
    }
    for (const button of buttons) {
      button.setAttribute("aria-disabled", String(button.classList.contains("disabled")));
    }
  };
  editor.on("transaction", update);
  update();
}
