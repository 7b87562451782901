// Hardening that needs no stack (issue 13 item 8): spreadsheet cells no spreadsheet evaluates, listen address, limits.
import { loadConfig } from '../../config';
import { spreadsheetText } from '../../processes/roster/export';

describe('spreadsheetText (roster CSV and XLSX cells)', () => {
  it.each(['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x")'])(
    'prefixes %j so it is text, not a formula',
    (s) => {
      expect(spreadsheetText(s)).toBe(`'${s}`);
    },
  );

  it.each(['王秀英', '410721********0021', '220.00', '-12.50', '七里营镇', ''])('leaves %j as it is', (s) => {
    expect(spreadsheetText(s)).toBe(s);
  });
});

describe('API_HOST', () => {
  it('listens on loopback unless told otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ API_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('limits failed authentications to 20 per address by default, configurable', () => {
    expect(loadConfig({}).authFailureLimit).toBe(20);
    expect(loadConfig({ AUTH_FAILURE_LIMIT: '5' }).authFailureLimit).toBe(5);
    expect(loadConfig({ AUTH_FAILURE_LIMIT: 'zero' }).authFailureLimit).toBe(20);
  });
});
