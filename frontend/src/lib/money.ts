/**
 * Exact money handling. The API gives amounts as integer nano-USD (10^-9 USD) and as decimal
 * strings of USD ("0.006465000"). Everything here is string / BigInt math: no float ever touches
 * an amount, so sums and displays never drift.
 */

const NANO_DIGITS = 9;
const NANO = 10n ** BigInt(NANO_DIGITS);

/** Parses a decimal USD string ("12.5", "-0.000000001", "3") into integer nano-USD. */
export function usdToNano(usd: string): bigint {
  const text = usd.trim();
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) {
    throw new Error(`not a decimal amount: "${usd}"`);
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > NANO_DIGITS && /[1-9]/.test(fraction.slice(NANO_DIGITS))) {
    throw new Error(`more precise than nano-USD: "${usd}"`);
  }
  const nanos = BigInt(whole) * NANO + BigInt((fraction + '000000000').slice(0, NANO_DIGITS) || '0');
  return sign ? -nanos : nanos;
}

/** An integer nano-USD amount (BigInt, safe integer number, or digit string) as a BigInt. */
export function toNano(value: bigint | number | string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Error(`nano-USD amount is not a safe integer: ${value}`);
    }
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value.trim())) {
    throw new Error(`not an integer nano-USD amount: "${value}"`);
  }
  return BigInt(value.trim());
}

/** Integer nano-USD as the exact decimal USD string with 9 fraction digits ("0.006465000"). */
export function nanoToUsd(nanos: bigint | number | string): string {
  const value = toNano(nanos);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / NANO;
  const fraction = (abs % NANO).toString().padStart(NANO_DIGITS, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Exact sum of decimal USD strings. */
export function sumUsd(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += usdToNano(amount);
  return nanoToUsd(total);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Rounds integer nanos to `digits` fraction digits, half away from zero (the way people round
 * money on a screen), returning [whole, fraction] digit strings.
 */
function roundNanos(abs: bigint, digits: number): [bigint, string] {
  const drop = 10n ** BigInt(NANO_DIGITS - digits);
  let scaled = abs / drop;
  if ((abs % drop) * 2n >= drop) scaled += 1n;
  const unit = 10n ** BigInt(digits);
  const whole = scaled / unit;
  const fraction = digits === 0 ? '' : (scaled % unit).toString().padStart(digits, '0');
  return [whole, fraction];
}

export interface FormatUsdOptions {
  /** Show every significant digit down to the nano (trailing zeros trimmed, at least 2). */
  exact?: boolean;
}

/**
 * Formats a USD amount for people: "$1,234.57" for a dollar or more; below a dollar two
 * significant digits ("$0.50", "$0.014", "$0.0065"), so a cheap call never shows as "$0.00".
 * `exact` shows the precise amount ("$1,234.567891234"). Input: decimal string or nano-USD BigInt.
 */
export function formatUsd(amount: string | bigint, options: FormatUsdOptions = {}): string {
  const nanos = typeof amount === 'bigint' ? amount : usdToNano(amount);
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  let whole: bigint;
  let fraction: string;
  if (options.exact) {
    whole = abs / NANO;
    fraction = (abs % NANO).toString().padStart(NANO_DIGITS, '0').replace(/0+$/, '');
    if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  } else if (abs === 0n || abs >= NANO) {
    // a dollar or more: cents
    [whole, fraction] = roundNanos(abs, 2);
  } else {
    // under a dollar: two significant digits (at least cents, at most nanos), so $0.013965 is
    // "$0.014" and a cheap call is "$0.0065", never "$0.00"
    const leadingZeros = NANO_DIGITS - abs.toString().length;
    const digits = Math.max(2, Math.min(NANO_DIGITS, leadingZeros + 2));
    [whole, fraction] = roundNanos(abs, digits);
    if (whole > 0n) {
      fraction = fraction.slice(0, 2);
    } else {
      fraction = fraction.replace(/0+$/, '');
      if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
    }
  }
  return `${negative ? '-' : ''}$${groupThousands(whole.toString())}.${fraction}`;
}

/**
 * Integer US cents as dollars, exactly: 1500 → "$15", 1550 → "$15.50", 123456 → "$1,234.56".
 * Whole dollars drop the cents. Integer (BigInt) math only.
 */
export function formatCents(cents: number | bigint): string {
  if (typeof cents === 'number' && !Number.isSafeInteger(cents)) {
    throw new Error(`cents amount is not a safe integer: ${cents}`);
  }
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = groupThousands((abs / 100n).toString());
  const rest = abs % 100n;
  return `${negative ? '-' : ''}$${whole}${rest === 0n ? '' : `.${rest.toString().padStart(2, '0')}`}`;
}

/**
 * A plan's monthly price: "Contact us" when sales sets it (or there is no price), "Free" for 0,
 * otherwise "$15/mo" (billing's `price_cents_monthly`, integer cents).
 */
export function formatPlanPrice(priceCents: number | null | undefined, contactSales = false): string {
  if (contactSales || priceCents === null || priceCents === undefined) return 'Contact us';
  if (priceCents === 0) return 'Free';
  return `${formatCents(priceCents)}/mo`;
}

/** Hosted credits (one credit = one micro-USD) as dollars: 5,000,000 → "$5.00". */
export function formatCredits(credits: number | bigint): string {
  if (typeof credits === 'number' && !Number.isSafeInteger(credits)) {
    throw new Error(`credit amount is not a safe integer: ${credits}`);
  }
  return formatUsd(BigInt(credits) * 1000n);
}
