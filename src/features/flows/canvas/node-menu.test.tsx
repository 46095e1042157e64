import { describe, expect, it, vi } from 'vitest'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { FlowStatus } from '../../../api/contract'
import { meAs, webShopFlow } from '../../../test/flows'
import { stateOf, structureOf } from '../flow-model'
import { NodeMenu, type NodeMenuProps } from './node-menu'

const ITEMS = [
  'Activate downstream',
  'Activate entire flow',
  'Pause downstream',
  'Pause entire flow',
  'Run now',
  'Delete downstream…',
  'Delete entire flow…',
]

interface MenuOptions {
  role?: 'viewer' | 'operator' | 'admin' | 'super_user'
  status?: FlowStatus
  overrides?: Partial<Record<string, FlowStatus>>
  /** The flow's owner; the signed-in user is 2. */
  ownerId?: number
}

function renderMenu(nodeKey: string, options: MenuOptions = {}) {
  const { role = 'operator', status = 'ACTIVE', overrides = {}, ownerId = 1 } = options
  const flow = webShopFlow(status, overrides)
  const state = stateOf(flow)
  const props: NodeMenuProps = {
    structure: structureOf(flow),
    nodeKey,
    nodeName: state.resources[nodeKey]!.name,
    ownerId,
    me: meAs(role),
    statusOf: (key) => state.resources[key]?.status,
    x: 10,
    y: 10,
    onAction: vi.fn(),
    onPreview: vi.fn(),
    onClose: vi.fn(),
  }
  render(<NodeMenu {...props} />)
  return props
}

/** Each item's label and the reason it is disabled ('' when enabled), in menu order. */
function itemsOf(menu: HTMLElement) {
  const text = (id: string | null) => (id ? document.getElementById(id)?.textContent : '?')
  return within(menu)
    .getAllByRole('menuitem')
    .map((item) => [
      text(item.getAttribute('aria-labelledby')),
      item.getAttribute('aria-disabled') === 'true' ? text(item.getAttribute('aria-describedby')) : '',
    ])
}

describe('node menu', () => {
  it('lists the contract’s items in order, named exactly, for an active data set (operator)', () => {
    renderMenu('data_set-20002')
    const menu = screen.getByRole('menu', { name: 'Actions for Large orders' })
    for (const name of ITEMS) expect(within(menu).getByRole('menuitem', { name })).toBeInTheDocument()
    expect(itemsOf(menu)).toEqual([
      ['Activate downstream', 'Already active'],
      ['Activate entire flow', 'Already active'],
      ['Pause downstream', ''],
      ['Pause entire flow', ''],
      ['Run now', ''],
      ['Delete downstream…', 'Admin role required'],
      ['Delete entire flow…', 'Admin role required'],
    ])
    expect(screen.getByRole('menuitem', { name: 'Activate downstream' })).toHaveAccessibleDescription(
      'Already active',
    )
  })

  it('a viewer reads only: every control item says the operator role is required', () => {
    renderMenu('data_set-20001', { role: 'viewer' })
    expect(itemsOf(screen.getByRole('menu'))).toEqual([
      ['Activate downstream', 'Operator role required'],
      ['Activate entire flow', 'Operator role required'],
      ['Pause downstream', 'Operator role required'],
      ['Pause entire flow', 'Operator role required'],
      ['Run now', 'Operator role required'],
      ['Delete downstream…', 'Admin role required'],
      ['Delete entire flow…', 'Admin role required'],
    ])
  })

  it('a sink of a partly paused flow: what applies is enabled, Run now says why not', () => {
    renderMenu('data_sink-6004', {
      role: 'admin',
      status: 'ACTIVE',
      overrides: { 'data_sink-6004': 'PAUSED' },
    })
    expect(itemsOf(screen.getByRole('menu'))).toEqual([
      ['Activate downstream', ''],
      ['Activate entire flow', ''],
      ['Pause downstream', 'Already paused'],
      ['Pause entire flow', ''],
      ['Run now', 'Runs start at a data source or data set'],
      ['Delete downstream…', ''],
      ['Delete entire flow…', ''],
    ])
  })

  it('a new (Init) flow cannot be paused or run until its source is active; its owner may delete it', () => {
    renderMenu('data_source-5001', { status: 'INIT', ownerId: 2 })
    expect(itemsOf(screen.getByRole('menu'))).toEqual([
      ['Activate downstream', ''],
      ['Activate entire flow', ''],
      ['Pause downstream', 'Nothing active to pause'],
      ['Pause entire flow', 'Nothing active to pause'],
      ['Run now', 'Activate the data source first'],
      ['Delete downstream…', ''],
      ['Delete entire flow…', ''],
    ])
  })

  it('works from the keyboard, previews each item’s scope, and never runs a disabled item', async () => {
    const user = userEvent.setup()
    const props = renderMenu('data_set-20002')
    const first = screen.getByRole('menuitem', { name: 'Activate downstream' })
    expect(first).toHaveFocus()
    expect(props.onPreview).toHaveBeenLastCalledWith([
      'data_set-20002',
      'data_sink-6002',
      'data_set-20003',
      'data_sink-6003',
    ])

    await user.keyboard('{Enter}')
    expect(props.onAction).not.toHaveBeenCalled()

    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(screen.getByRole('menuitem', { name: 'Pause downstream' })).toHaveFocus()
    await user.keyboard('{ArrowDown}')
    expect(props.onPreview).toHaveBeenLastCalledWith(
      expect.arrayContaining(['data_source-5001', 'data_sink-6004']),
    )
    await user.keyboard('{ArrowUp}{Enter}')
    expect(props.onAction).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'pause-downstream',
        type: 'control',
        action: 'pause',
        scope: 'downstream',
      }),
    )

    await user.keyboard('{End}')
    expect(screen.getByRole('menuitem', { name: 'Delete entire flow…' })).toHaveFocus()
    await user.keyboard('r')
    expect(screen.getByRole('menuitem', { name: 'Run now' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(props.onClose).toHaveBeenCalled()
  })
})
