// Swedish organisation numbers (organisationsnummer): ten digits written NNNNNN-NNNN, the last one a Luhn
// check digit over the other nine.

const ORGANISATION_NUMBER = /^(\d{6})-(\d{4})$/;

/** The Luhn (mod 10) check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a Swedish organisation number `NNNNNN-NNNN` whose last digit is its Luhn check digit. */
export function isOrganisationNumber(value: string): boolean {
  const m = ORGANISATION_NUMBER.exec(value);
  if (!m) return false;
  const digits = `${m[1]}${m[2]}`;
  return luhnCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}
