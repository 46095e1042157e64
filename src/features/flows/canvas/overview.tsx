import { useEffect, useRef, useState, type PointerEvent } from 'react'
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react'
import type { FlowStructure, ResourceKind } from '../flow-model'
import { NODE_HEIGHT, NODE_WIDTH, type FlowLayout } from './layout'

const WIDTH = 180
const HEIGHT = 120
const PAD = 6

const kindColour: Record<ResourceKind, string> = {
  data_source: '--kind-source',
  data_set: '--kind-set',
  data_sink: '--kind-sink',
}

const selectViewport = (s: ReactFlowState) => {
  const [x, y, zoom] = s.transform
  return `${x}|${y}|${zoom}|${s.width}|${s.height}`
}

/** Follows the system colour scheme, so the drawing is redone in the other theme's colours. */
function useColourScheme() {
  const [dark, setDark] = useState(() => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false)
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)')
    if (!query) return
    const onChange = () => setDark(query.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  return dark
}

/**
 * The minimap: every node drawn once into a <canvas> per layout, with the visible area as a frame on top;
 * click or drag to move there. React Flow's MiniMap keeps one SVG element per node, which for 10,000 nodes costs
 * a second to mount and is repainted on every frame of panning.
 */
export function FlowOverview({ structure, layout }: { structure: FlowStructure; layout: FlowLayout }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const dark = useColourScheme()
  const viewport = useStore(selectViewport)
  const { setViewport } = useReactFlow()

  const { minX, minY, maxX, maxY } = layout.bounds
  const scale = Math.min((WIDTH - 2 * PAD) / (maxX - minX), (HEIGHT - 2 * PAD) / (maxY - minY))
  const offsetX = (WIDTH - (maxX - minX) * scale) / 2 - minX * scale
  const offsetY = (HEIGHT - (maxY - minY) * scale) / 2 - minY * scale

  useEffect(() => {
    const el = canvas.current
    const context = el?.getContext('2d')
    if (!el || !context) return
    const ratio = window.devicePixelRatio || 1
    el.width = WIDTH * ratio
    el.height = HEIGHT * ratio
    context.setTransform(ratio, 0, 0, ratio, 0, 0)
    context.clearRect(0, 0, WIDTH, HEIGHT)
    const styles = getComputedStyle(el)
    const w = Math.max(1, NODE_WIDTH * scale)
    const h = Math.max(1, NODE_HEIGHT * scale)
    for (const kind of Object.keys(kindColour) as ResourceKind[]) {
      context.fillStyle = styles.getPropertyValue(kindColour[kind]).trim() || '#888'
      structure.nodes.forEach((node, i) => {
        const p = layout.positions[i]
        if (node.kind === kind && p) context.fillRect(p.x * scale + offsetX, p.y * scale + offsetY, w, h)
      })
    }
  }, [structure, layout, scale, offsetX, offsetY, dark])

  const [x = 0, y = 0, zoom = 1, width = 0, height = 0] = viewport.split('|').map(Number)
  const frame = {
    left: (-x / zoom) * scale + offsetX,
    top: (-y / zoom) * scale + offsetY,
    width: (width / zoom) * scale,
    height: (height / zoom) * scale,
  }

  function moveTo(event: PointerEvent<HTMLDivElement>) {
    const box = event.currentTarget.getBoundingClientRect()
    const fx = (event.clientX - box.left - offsetX) / scale
    const fy = (event.clientY - box.top - offsetY) / scale
    void setViewport({ x: width / 2 - fx * zoom, y: height / 2 - fy * zoom, zoom })
  }

  return (
    <Panel position="bottom-right" className="overview">
      <div
        className="overview-map"
        style={{ width: WIDTH, height: HEIGHT }}
        role="img"
        aria-label="Overview of the flow"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId)
          moveTo(event)
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) moveTo(event)
        }}
      >
        <canvas ref={canvas} style={{ width: WIDTH, height: HEIGHT }} />
        <div className="overview-frame" style={frame} />
      </div>
    </Panel>
  )
}
