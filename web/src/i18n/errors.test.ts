// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { CLIENT_CODES, codeText, errorStrings, fieldText, methodName, paymentMethodNames, paymentStatusName, paymentStatusNames, reasonStrings, reservationStatusNames } from './errors';

// The api's own description of what it can answer: every error code and field reason it may
// send must have Korean and English text here.
const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
const schemas = doc.components.schemas as Record<string, { enum?: string[] }>;
const enumOf = (name: string): string[] => {
  const values = schemas[name]?.enum;
  if (!values?.length) throw new Error(`openapi.json has no enum ${name}`);
  return values;
};

describe('every message in the fan\'s language', () => {
  const langs = ['ko', 'en'] as const;

  it('translates every error code in the OpenAPI document, and the client\'s own', () => {
    const codes = [...enumOf('ErrorCode'), ...CLIENT_CODES];
    expect(codes.length).toBeGreaterThan(50);
    for (const lang of langs) {
      const missing = codes.filter((c) => !errorStrings[lang][c]?.trim());
      expect(missing, `${lang} texts missing for error codes`).toEqual([]);
    }
  });

  it('translates every field reason in the OpenAPI document', () => {
    const reasons = enumOf('FieldReason');
    expect(reasons).toContain('required');
    for (const lang of langs) {
      const missing = reasons.filter((r) => !reasonStrings[lang][r]?.trim());
      expect(missing, `${lang} texts missing for field reasons`).toEqual([]);
    }
  });

  it('names every payment method and status the api defines', () => {
    const methods = enumOf('PaymentMethod');
    for (const lang of langs) {
      expect(methods.filter((m) => !paymentMethodNames[lang][m])).toEqual([]);
      for (const s of ['completed', 'declined', 'refunded']) expect(paymentStatusNames[lang][s]).toBeTruthy();
      for (const s of ['pending', 'confirmed', 'cancelled', 'expired']) expect(reservationStatusNames[lang][s]).toBeTruthy();
    }
    expect(methodName('ko', 'naver_pay')).toBe('네이버페이');
    expect(paymentStatusName('ko', 'completed')).toBe('결제 완료');
  });

  it('has no English left in the Korean texts nor placeholders left unfilled', () => {
    for (const [code, text] of Object.entries(errorStrings.ko)) expect(text, code).toMatch(/[가-힣]/);
    for (const [reason, text] of Object.entries(reasonStrings.ko)) expect(text, reason).toMatch(/[가-힣]/);
    for (const lang of langs) {
      for (const reason of enumOf('FieldReason')) {
        const text = fieldText(lang, { reason, params: { min: 1, max: 30, allowed: ['ko', 'en'], other: 'saleEnd' } });
        expect(text, `${lang} ${reason}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('fills numbers and falls back by status for unknown codes', () => {
    expect(fieldText('ko', { reason: 'length_range', params: { min: 1, max: 30 } })).toBe('1~30자로 입력해 주세요.');
    expect(fieldText('en', { reason: 'out_of_range', params: { min: 1, max: 100000 } })).toBe('Enter a value in 1~100,000.');
    expect(codeText('ko', 'SOMETHING_NEW', 503)).toBe(errorStrings.ko.SERVER_ERROR);
    expect(codeText('en', 'SOMETHING_NEW', 418)).toBe(errorStrings.en.HTTP_ERROR);
  });
});
