import type { FastifyReply, FastifyRequest } from 'fastify'

export interface PageQuery {
  page?: number
  per_page?: number
}

export const pageOf = (q: PageQuery) => ({ page: q.page ?? 1, perPage: q.per_page ?? 100 })

/** Sets the X-* pagination headers and an RFC 8288 Link header (first, prev, next, last). */
export function paginate(
  request: FastifyRequest,
  reply: FastifyReply,
  total: number,
  page: number,
  perPage: number,
  count: number,
) {
  const pages = Math.max(1, Math.ceil(total / perPage))
  reply.header('X-Total-Count', total)
  reply.header('X-Current-Page', page)
  reply.header('X-Page-Count', count)
  reply.header('X-Total-Page-Count', pages)
  const url = new URL(request.url, 'http://localhost')
  url.searchParams.delete('api_key') // never echo a key into a header that proxies and logs keep
  const link = (p: number, rel: string) => {
    url.searchParams.set('page', String(p))
    url.searchParams.set('per_page', String(perPage))
    return `<${url.pathname}${url.search}>; rel="${rel}"`
  }
  const links = [link(1, 'first')]
  if (page > 1) links.push(link(Math.min(page - 1, pages), 'prev'))
  if (page < pages) links.push(link(page + 1, 'next'))
  links.push(link(pages, 'last'))
  reply.header('Link', links.join(', '))
}
