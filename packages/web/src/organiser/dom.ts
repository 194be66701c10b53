// Building the page: elements with attributes and children; text is only ever set as text (never HTML), so a
// name or a spreadsheet cell can hold anything.

export type Child = Node | string | number | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled form field: label, control and an optional hint, tied by for/aria-describedby. */
export function field(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLDivElement {
  control.id = id;
  const parts: Child[] = [h("label", { for: id }, label)];
  if (hint) {
    control.setAttribute("aria-describedby", `${id}-hint`);
    parts.push(h("p", { id: `${id}-hint`, class: "hint" }, hint));
  }
  parts.push(control);
  return h("div", { class: "field" }, parts);
}

export function select(
  options: readonly { value: string; label: string }[],
  selected?: string | null,
  attributes: Attributes = {},
): HTMLSelectElement {
  const element = h("select", attributes);
  for (const option of options) {
    const item = h("option", { value: option.value }, option.label);
    if (option.value === (selected ?? "")) item.selected = true;
    element.appendChild(item);
  }
  return element;
}
