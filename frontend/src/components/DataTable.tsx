/**
 * The one table of the app: the page says which columns it has, how each cell looks and what a
 * column sorts by; this renders the markup every page shares (`th scope="col"`, `num` alignment,
 * the `table-wrap` scroller, the empty state) and sorts the rows it is given on TanStack Table.
 *
 * A sortable header is a button: the first click sorts ascending, the next descending, the third
 * returns to the order the rows came in (newest first, worst first, …). The sorted header carries
 * `aria-sort` and an arrow (before the text of a right-aligned column, so the text lines up with
 * the numbers below it). Sorting reorders the rows on screen only; paging and filters stay
 * the server's.
 */
import { useMemo, type CSSProperties, type HTMLAttributes, type ReactNode, type TdHTMLAttributes } from 'react';
import {
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type Row,
  type RowData,
} from '@tanstack/react-table';

/** `data-*` attributes, which the browser test and the benchmarks select rows and cells by. */
export type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

/**
 * What a column sorts by. Numbers and bigints (exact nano-USD: `usdToNano(cost_usd)`) compare as
 * numbers, strings by the reader's locale with digits as numbers ("run-9" before "run-10");
 * null and undefined (a "—" cell) go last in either direction.
 */
export type SortValue = string | number | bigint | null | undefined;

export interface Column<T> {
  /** Unique within the table; the sort state refers to it. */
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Without it the column does not sort and its header is plain text. */
  sortValue?: (row: T) => SortValue;
  /** Right-aligned, header and cells (`num`). */
  numeric?: boolean;
  /** More classes for the column's cells (`mono`, `truncate`, `small`). */
  className?: string;
  /** Attributes of one cell: `title`, `data-exact`, … */
  cellProps?: (row: T) => TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;
  headerStyle?: CSSProperties;
}

export interface DataTableProps<T> {
  /** The table's `data-testid`. */
  testId: string;
  /** Module scope or `useMemo` where the cells need nothing of the page's state; a new array each render works too (the sort stays), it only re-derives the columns. */
  columns: ReadonlyArray<Column<T>>;
  rows: ReadonlyArray<T>;
  /** A stable key per row (React's key and TanStack's row id). */
  rowKey: (row: T, index: number) => string;
  /** Attributes of one row: `data-run-id`, … */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  /** Shown instead of the table when there are no rows; without it an empty table is shown. */
  empty?: ReactNode;
  /** Read by screen readers only. */
  caption?: ReactNode;
  /** Inside a horizontal scroller (`table-wrap`), as wide tables are; default true. */
  wrap?: boolean;
}

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });
type Features = typeof features;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order of two present sort values (missing ones never get here: `sortUndefined: 'last'`). */
function compare(a: string | number | bigint, b: string | number | bigint): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRows<T extends RowData>(a: Row<Features, T>, b: Row<Features, T>, columnId: string): number {
  return compare(a.getValue<string | number | bigint>(columnId), b.getValue<string | number | bigint>(columnId));
}

function toColumnDef<T extends RowData>(column: Column<T>): ColumnDef<Features, T, unknown> {
  const { sortValue } = column;
  if (!sortValue) return { id: column.id, enableSorting: false };
  return {
    id: column.id,
    accessorFn: (row) => sortValue(row) ?? undefined,
    sortFn: sortRows,
    sortUndefined: 'last',
  };
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
const ARROW = { asc: '▲', desc: '▼' } as const;

function classes(...names: Array<string | false | undefined>): string | undefined {
  return names.filter(Boolean).join(' ') || undefined;
}

export function DataTable<T extends RowData>({ testId, columns, rows, rowKey, rowProps, empty, caption, wrap = true }: DataTableProps<T>) {
  const columnDefs = useMemo(() => columns.map(toColumnDef), [columns]);
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const table = useTable({
    features,
    columns: columnDefs,
    data: rows,
    getRowId: rowKey,
    enableMultiSort: false,
    sortDescFirst: false,
  });

  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;

  const markup = (
    <table data-testid={testId}>
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const column = byId.get(header.column.id)!;
              const sorted = header.column.getIsSorted();
              const indicator = (
                <span className="sort-indicator" aria-hidden="true">
                  {sorted ? ARROW[sorted] : '↕'}
                </span>
              );
              return (
                <th
                  key={header.id}
                  scope="col"
                  className={classes(column.numeric && 'num')}
                  style={column.headerStyle}
                  aria-sort={sorted ? ARIA_SORT[sorted] : undefined}
                >
                  {header.column.getCanSort() ? (
                    <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                      {column.numeric && indicator}
                      {column.header}
                      {!column.numeric && indicator}
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} {...rowProps?.(row.original)}>
            {row.getAllCells().map((cell) => {
              const column = byId.get(cell.column.id)!;
              return (
                <td key={cell.id} className={classes(column.numeric && 'num', column.className)} {...column.cellProps?.(row.original)}>
                  {column.cell(row.original)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return wrap ? <div className="table-wrap">{markup}</div> : markup;
}
