import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent } from 'react'
import { createPortal } from 'react-dom'

export interface MenuItem {
  id: string
  label: string
  /** Why the item cannot apply; shown under its label and announced as its description. */
  disabledReason: string | null
  /** Draw a line above the item, starting a new group. */
  separatorBefore?: boolean
  tone?: 'danger'
}

interface MenuProps {
  /** The menu's accessible name. */
  label: string
  items: MenuItem[]
  /** Viewport coordinates of the top-left corner (moved in if the menu would leave the window). */
  x: number
  y: number
  onSelect: (id: string) => void
  /** Escape, Tab, or a click outside. */
  onClose: () => void
  /** The item that has the pointer or focus, or null. */
  onHighlight?: (id: string | null) => void
}

/**
 * A WAI-ARIA menu (role="menu", menuitems): focus starts on the first item; arrows, Home/End and the first
 * letter move; Enter or Space activates; Escape or Tab closes. Disabled items stay focusable so their reason is
 * read, but cannot be activated. Rendered into <body> so no transformed or clipped ancestor can hide it.
 */
export function Menu({ label, items, x, y, onSelect, onClose, onHighlight }: MenuProps) {
  const id = useId()
  const ref = useRef<HTMLDivElement>(null)
  const itemRefs = useRef<(HTMLDivElement | null)[]>([])

  // Keep the whole menu inside the window; done on the element so the first paint is already in place.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const box = el.getBoundingClientRect()
    el.style.left = `${Math.max(8, Math.min(x, window.innerWidth - box.width - 8))}px`
    el.style.top = `${Math.max(8, Math.min(y, window.innerHeight - box.height - 8))}px`
  }, [x, y])

  useEffect(() => {
    itemRefs.current[0]?.focus()
  }, [])

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as globalThis.Node)) onClose()
    }
    document.addEventListener('pointerdown', onPointerDown, true)
    return () => document.removeEventListener('pointerdown', onPointerDown, true)
  }, [onClose])

  const focusAt = (index: number) => itemRefs.current[(index + items.length) % items.length]?.focus()
  const current = () => itemRefs.current.findIndex((el) => el === document.activeElement)
  const activate = (item: MenuItem | undefined) => {
    if (item && !item.disabledReason) onSelect(item.id)
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const at = current()
    let handled = true
    if (event.key === 'ArrowDown') focusAt(at + 1)
    else if (event.key === 'ArrowUp') focusAt(at - 1)
    else if (event.key === 'Home') focusAt(0)
    else if (event.key === 'End') focusAt(items.length - 1)
    else if (event.key === 'Enter' || event.key === ' ') activate(items[at])
    else if (event.key === 'Escape' || event.key === 'Tab') onClose()
    else if (event.key.length === 1 && /\S/.test(event.key)) {
      // Type-ahead: the next item whose label starts with the letter.
      const letter = event.key.toLowerCase()
      for (let step = 1; step <= items.length; step++) {
        const index = (at + step) % items.length
        if (items[index]?.label.toLowerCase().startsWith(letter)) {
          focusAt(index)
          break
        }
      }
    } else handled = false
    if (handled) {
      event.preventDefault()
      event.stopPropagation()
    }
  }

  return createPortal(
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="menu"
      tabIndex={-1}
      style={{ left: x, top: y }}
      onContextMenu={(event) => event.preventDefault()}
      onMouseLeave={() => onHighlight?.(null)}
    >
      {items.map((item, index) => {
        const labelId = `${id}-${item.id}`
        const reasonId = `${id}-${item.id}-reason`
        return (
          <div
            key={item.id}
            ref={(el) => {
              itemRefs.current[index] = el
            }}
            role="menuitem"
            tabIndex={-1}
            className={[
              'menu-item',
              item.separatorBefore && 'menu-item-group',
              item.tone && `menu-item-${item.tone}`,
            ]
              .filter(Boolean)
              .join(' ')}
            aria-labelledby={labelId}
            aria-describedby={item.disabledReason ? reasonId : undefined}
            aria-disabled={item.disabledReason ? true : undefined}
            onClick={() => activate(item)}
            onKeyDown={onKeyDown}
            onMouseEnter={(event) => event.currentTarget.focus()}
            onFocus={() => onHighlight?.(item.id)}
          >
            <span id={labelId} className="menu-item-label">
              {item.label}
            </span>
            {item.disabledReason && (
              <span id={reasonId} className="menu-item-reason">
                {item.disabledReason}
              </span>
            )}
          </div>
        )
      })}
    </div>,
    document.body,
  )
}
