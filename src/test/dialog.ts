/**
 * jsdom has <dialog> but not its modal methods; the console's Dialog opens with showModal(). Enough of them for
 * tests: open and close toggle `open` (jsdom does not make the page behind inert).
 */
export function supportModalDialogs() {
  const proto = HTMLDialogElement.prototype
  if (!('showModal' in proto))
    Object.defineProperty(proto, 'showModal', {
      configurable: true,
      value(this: HTMLDialogElement) {
        this.open = true
      },
    })
  if (!('close' in proto))
    Object.defineProperty(proto, 'close', {
      configurable: true,
      value(this: HTMLDialogElement) {
        this.open = false
      },
    })
}
