import { create } from 'zustand'
import type { EditRequest } from '../../../api/edit-requests'
import type { ActionScope } from '../flow-model'

/**
 * UI state of the open canvas only — which menu is open, what it previews, where keyboard focus goes, which
 * delete is being confirmed. Never server data: statuses and names come from the query cache. Nodes subscribe
 * to the smallest slice (is this node previewed?) so a hover re-renders only the nodes whose look changes.
 */
export interface MenuState {
  key: string
  /** Viewport coordinates of the menu's top-left corner. */
  x: number
  y: number
}

export interface DeleteRequest {
  key: string
  scope: ActionScope
}

interface CanvasUi {
  menu: MenuState | null
  /** Nodes the hovered or focused menu item would touch; the others are dimmed. */
  preview: ReadonlySet<string> | null
  /** A request to move keyboard focus to a node; `n` changes with each request so repeats still apply. */
  focusRequest: { key: string; n: number } | null
  deleteRequest: DeleteRequest | null
  /** What the editor was asked to do (a node menu item, a header button, a dropped sink). */
  editRequest: EditRequest | null
  /** The data set a dragged sink would move to if dropped now. */
  dropTarget: string | null
  openMenu: (menu: MenuState) => void
  closeMenu: () => void
  setPreview: (keys: readonly string[] | null) => void
  focusNode: (key: string) => void
  requestDelete: (request: DeleteRequest | null) => void
  requestEdit: (request: EditRequest | null) => void
  setDropTarget: (key: string | null) => void
  reset: () => void
}

const initial = {
  menu: null,
  preview: null,
  focusRequest: null,
  deleteRequest: null,
  editRequest: null,
  dropTarget: null,
}

export const useCanvasUi = create<CanvasUi>()((set) => ({
  ...initial,
  openMenu: (menu) => set({ menu }),
  closeMenu: () => set({ menu: null, preview: null }),
  setPreview: (keys) => set({ preview: keys ? new Set(keys) : null }),
  focusNode: (key) => set((s) => ({ focusRequest: { key, n: (s.focusRequest?.n ?? 0) + 1 } })),
  requestDelete: (deleteRequest) => set({ deleteRequest, menu: null, preview: null }),
  requestEdit: (editRequest) => set({ editRequest, menu: null, preview: null }),
  setDropTarget: (dropTarget) => set({ dropTarget }),
  reset: () => set(initial),
}))

/** 'in' / 'out' while a menu item previews its scope, 'none' otherwise. */
export type PreviewState = 'in' | 'out' | 'none'
