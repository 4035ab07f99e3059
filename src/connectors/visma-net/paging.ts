import {pageMetadata} from './schemas.js'

/**
 * Where a Visma.net list ends. The API has no end marker, and it limits the `pageSize` asked for to the
 * tenant's maximum page size ("will be limited to max page size"), so a page shorter than the one asked
 * for says nothing. A list is over (docs/contract-readings.md, Visma.net) on:
 * - an empty page;
 * - the rows read reaching the `metadata.totalCount` the API reports with the page;
 * - a page shorter than the longest page the API already returned for the same list (and than the
 *   `metadata.maxPageSize` it reports, when it reports one): the page size that really applies is the
 *   one the API showed, not the one asked for, and may be below the one it reports (v3 SalesOrder with
 *   expand is limited to 100).
 */
export class VismaNetListEnd {
  private rowsRead = 0
  private longestPage = 0

  /** Counts a page of the list; true when it is the last. */
  isLast(page: ReadonlyArray<Record<string, unknown>>): boolean {
    if (page.length === 0) return true
    const {maxPageSize, totalCount} = pageMetadata(page)
    const longestBefore = this.longestPage
    this.rowsRead += page.length
    this.longestPage = Math.max(this.longestPage, page.length)
    if (totalCount !== null && this.rowsRead >= totalCount) return true
    return page.length < longestBefore && (maxPageSize === null || page.length < maxPageSize)
  }
}
