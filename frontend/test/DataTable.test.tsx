import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { DataTable, type Column } from '../src/components/DataTable';
import { formatUsd, usdToNano } from '../src/lib/money';

interface Call {
  id: string;
  agent: string | null;
  cost_usd: string;
  duration_ms: number | null;
}

const calls: Call[] = [
  { id: 'run-9', agent: 'triage', cost_usd: '10.000000000', duration_ms: 1200 },
  { id: 'run-10', agent: null, cost_usd: '9.000000000', duration_ms: null },
  { id: 'run-2', agent: 'support-bot', cost_usd: '0.500000000', duration_ms: 30 },
];

const columns: Column<Call>[] = [
  { id: 'run', header: 'Run', cell: (c) => c.id, sortValue: (c) => c.id, className: 'mono truncate' },
  { id: 'agent', header: 'Agent', cell: (c) => c.agent ?? '—', sortValue: (c) => c.agent },
  {
    id: 'cost',
    header: 'Cost',
    numeric: true,
    cell: (c) => formatUsd(c.cost_usd),
    cellProps: (c) => ({ 'data-exact': c.cost_usd, title: `$${c.cost_usd}` }),
    sortValue: (c) => usdToNano(c.cost_usd),
  },
  { id: 'duration', header: 'Duration', numeric: true, cell: (c) => String(c.duration_ms ?? '—'), sortValue: (c) => c.duration_ms },
  { id: 'actions', header: <span className="visually-hidden">Actions</span>, cell: () => <button type="button">Remove</button> },
];

function table(rows: Call[] = calls, empty?: string) {
  return (
    <DataTable testId="calls-table" columns={columns} rows={rows} rowKey={(c) => c.id} rowProps={(c) => ({ 'data-run-id': c.id })} empty={empty} />
  );
}

const column = (index: number) => screen.getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell')[index].textContent);
const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });
const sortBy = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

afterEach(cleanup);

describe('DataTable', () => {
  it('renders the page’s columns, classes and attributes in the order the rows came', () => {
    const { container } = render(table());
    const element = screen.getByTestId('calls-table');
    expect(element.parentElement?.className).toBe('table-wrap');
    expect(screen.getAllByRole('columnheader').map((th) => [th.getAttribute('scope'), th.className])).toEqual([
      ['col', ''],
      ['col', ''],
      ['col', 'num'],
      ['col', 'num'],
      ['col', ''],
    ]);
    expect(column(0)).toEqual(['run-9', 'run-10', 'run-2']);
    const first = container.querySelector('tr[data-run-id="run-9"]')!;
    const cells = within(first as HTMLElement).getAllByRole('cell');
    expect(cells[0].className).toBe('mono truncate');
    expect(cells[2].className).toBe('num');
    expect(cells[2].getAttribute('data-exact')).toBe('10.000000000');
    expect(cells[2].getAttribute('title')).toBe('$10.000000000');
    expect(cells[2].textContent).toBe('$10.00');
    expect(screen.getAllByRole('button', { name: 'Remove' })).toHaveLength(3);
  });

  it('makes sortable headers buttons and leaves the others plain', () => {
    render(table());
    expect(within(header('Run')).getByRole('button', { name: 'Run' })).toBeTruthy();
    expect(within(screen.getAllByRole('columnheader')[4]).queryByRole('button')).toBeNull();
    expect(screen.getAllByRole('columnheader').some((th) => th.hasAttribute('aria-sort'))).toBe(false);
  });

  it('sorts money by its amount, not its text: ascending, descending, then back to the original order', () => {
    render(table());
    sortBy('Cost');
    expect(column(2)).toEqual(['$0.50', '$9.00', '$10.00']);
    expect(header('Cost').getAttribute('aria-sort')).toBe('ascending');
    expect(header('Cost').textContent).toContain('▲');
    sortBy('Cost');
    expect(column(2)).toEqual(['$10.00', '$9.00', '$0.50']);
    expect(header('Cost').getAttribute('aria-sort')).toBe('descending');
    expect(header('Cost').textContent).toContain('▼');
    sortBy('Cost');
    expect(column(0)).toEqual(['run-9', 'run-10', 'run-2']);
    expect(header('Cost').hasAttribute('aria-sort')).toBe(false);
  });

  it('compares nano-USD amounts exactly, beyond float precision', () => {
    render(
      table([
        { id: 'a', agent: null, cost_usd: '9007199.254740993', duration_ms: null },
        { id: 'b', agent: null, cost_usd: '9007199.254740992', duration_ms: null },
      ]),
    );
    sortBy('Cost');
    expect(column(0)).toEqual(['b', 'a']);
  });

  it('sorts text with numbers in it as a person would', () => {
    render(table());
    sortBy('Run');
    expect(column(0)).toEqual(['run-2', 'run-9', 'run-10']);
  });

  it('puts missing values last in both directions', () => {
    render(table());
    sortBy('Duration');
    expect(column(3)).toEqual(['30', '1200', '—']);
    sortBy('Duration');
    expect(column(3)).toEqual(['1200', '30', '—']);
    sortBy('Agent');
    expect(column(1)).toEqual(['support-bot', 'triage', '—']);
  });

  it('sorts by one column at a time', () => {
    render(table());
    sortBy('Cost');
    sortBy('Agent');
    expect(header('Cost').hasAttribute('aria-sort')).toBe(false);
    expect(header('Agent').getAttribute('aria-sort')).toBe('ascending');
  });

  it('keeps the sort when new rows arrive', () => {
    const { rerender } = render(table());
    sortBy('Cost');
    rerender(table([...calls, { id: 'run-11', agent: 'triage', cost_usd: '0.000000001', duration_ms: 5 }]));
    expect(column(0)).toEqual(['run-11', 'run-2', 'run-10', 'run-9']);
    expect(header('Cost').getAttribute('aria-sort')).toBe('ascending');
  });

  it('keeps the sort when the page builds its columns anew', () => {
    const { rerender } = render(<DataTable testId="t" columns={[...columns]} rows={calls} rowKey={(c) => c.id} />);
    sortBy('Cost');
    rerender(<DataTable testId="t" columns={[...columns]} rows={[...calls]} rowKey={(c) => c.id} />);
    expect(column(0)).toEqual(['run-2', 'run-10', 'run-9']);
  });

  it('shows the empty state instead of a table when there are no rows', () => {
    render(table([], 'No runs yet.'));
    expect(screen.getByText('No runs yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows an empty table when the page gives no empty state', () => {
    render(table([]));
    expect(screen.getByTestId('calls-table')).toBeTruthy();
    expect(screen.getAllByRole('row')).toHaveLength(1);
  });

  it('can go without the scroller and with a caption', () => {
    render(<DataTable testId="plain" columns={columns} rows={calls} rowKey={(c) => c.id} wrap={false} caption="Calls by cost" />);
    const element = screen.getByTestId('plain');
    expect(element.parentElement?.className).not.toBe('table-wrap');
    expect(element.querySelector('caption.visually-hidden')?.textContent).toBe('Calls by cost');
  });
});
