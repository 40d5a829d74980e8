import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { api, ApiError } from '../../api/client';
import { I18nProvider } from '../../i18n/I18n';
import { CancelEventDialog } from './AdminEvents';
import EventForm from './EventForm';
import LayoutEditor from './LayoutEditor';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  localStorage.clear();
});

const impact = { pendingReservations: 1, confirmedReservations: 3, refundPayments: 3, refundAmount: 450000, fansToNotify: 2 };

describe('CancelEventDialog', () => {
  it('states bookings, refund and fans before the organizer can confirm (Korean)', async () => {
    let answer: (v: { impact: typeof impact }) => void = () => {};
    vi.spyOn(api.admin, 'cancelImpact').mockReturnValue(new Promise((r) => (answer = r)));
    const cancel = vi.spyOn(api.admin, 'cancelEvent');
    render(
      <I18nProvider>
        <CancelEventDialog event={{ id: 'e1', title: '콘서트' }} onDone={() => {}} onClose={() => {}} />
      </I18nProvider>,
    );
    // Not confirmable before the impact is known.
    expect((screen.getByTestId('confirm') as HTMLButtonElement).disabled).toBe(true);
    answer({ impact });
    const list = await screen.findByTestId('cancel-impact');
    expect(list.textContent).toContain('예매 완료 3건과 결제 대기 1건이 취소됩니다.');
    expect(list.textContent).toContain('결제 3건, 총 450,000원이 환불됩니다.');
    expect(list.textContent).toContain('팬 2명에게');
    expect((screen.getByTestId('confirm') as HTMLButtonElement).disabled).toBe(false);
    expect(cancel).not.toHaveBeenCalled();
    expect(api.admin.cancelImpact).toHaveBeenCalledWith('e1');
  });

  it('says the same in English', async () => {
    localStorage.setItem('tiketi.lang', 'en');
    vi.spyOn(api.admin, 'cancelImpact').mockResolvedValue({ impact });
    render(
      <I18nProvider>
        <CancelEventDialog event={{ id: 'e1', title: 'Show' }} onDone={() => {}} onClose={() => {}} />
      </I18nProvider>,
    );
    const list = await screen.findByTestId('cancel-impact');
    expect(list.textContent).toContain('3 paid bookings and 1 unpaid holds will be cancelled.');
    expect(list.textContent).toContain('3 payments totalling ₩450,000 will be refunded.');
    expect(list.textContent).toContain('2 fans will be e-mailed');
  });
});

describe('LayoutEditor', () => {
  const renderEditor = () =>
    render(
      <I18nProvider>
        <MemoryRouter>
          <LayoutEditor />
        </MemoryRouter>
      </I18nProvider>,
    );

  it('previews live and shows the server\'s errors by field', async () => {
    vi.spyOn(api.admin, 'layouts').mockResolvedValue({ layouts: [] });
    renderEditor();
    const preview = screen.getByTestId('layout-preview');
    // Two default sections of 5 × 20.
    expect(preview.querySelectorAll('circle').length).toBe(200);
    fireEvent.change(screen.getAllByLabelText('열 수')[0], { target: { value: '2' } });
    expect(preview.querySelectorAll('circle').length).toBe(140);
    fireEvent.click(screen.getByText('구역 추가'));
    expect(screen.getAllByTestId('section-draft').length).toBe(3);
    expect(preview.querySelectorAll('circle').length).toBe(240);

    const create = vi.spyOn(api.admin, 'createLayout').mockRejectedValue(
      new ApiError(422, 'VALIDATION_FAILED', 'x', { name: '필수 항목입니다.', 'sections[1].price': '1~10,000,000 범위의 값을 입력해 주세요.' }),
    );
    fireEvent.change(screen.getAllByLabelText('가격 (원)')[0], { target: { value: '150000' } });
    fireEvent.click(screen.getByTestId('layout-save'));
    await waitFor(() => expect(screen.getByText('필수 항목입니다.')).toBeTruthy());
    expect(screen.getByText('1~10,000,000 범위의 값을 입력해 주세요.')).toBeTruthy();
    expect(create).toHaveBeenCalledWith({
      name: '',
      venue: '',
      sections: [
        { name: 'VIP', rows: 2, seatsPerRow: 20, price: 150000 },
        { name: 'R', rows: 5, seatsPerRow: 20, price: 0 },
        { name: 'S', rows: 5, seatsPerRow: 20, price: 0 },
      ],
    });
  });
});

describe('LayoutEditor copies', () => {
  it('starts a new layout from an existing one', async () => {
    vi.spyOn(api.admin, 'layouts').mockResolvedValue({
      layouts: [{ id: 'l1', name: 'Hall', venue: 'Olympic', description: '', totalSeats: 6, sections: [{ name: 'VIP', rows: 2, seatsPerRow: 3, price: 150000, color: '#ef4444' }] }],
    });
    render(
      <I18nProvider>
        <MemoryRouter>
          <LayoutEditor />
        </MemoryRouter>
      </I18nProvider>,
    );
    const select = await screen.findByLabelText('기존 배치에서 복사');
    await screen.findByText('Hall (6)');
    fireEvent.change(select, { target: { value: 'l1' } });
    expect(screen.getAllByTestId('section-draft').length).toBe(1);
    expect(screen.getByTestId('layout-preview').querySelectorAll('circle').length).toBe(6);
    expect((screen.getAllByLabelText('가격 (원)')[0] as HTMLInputElement).value).toBe('150000');
  });
});

describe('EventForm prices per grade', () => {
  it('starts from the layout\'s prices, sends every grade and shows errors by grade', async () => {
    vi.spyOn(api.admin, 'layouts').mockResolvedValue({
      layouts: [
        {
          id: 'l1',
          name: 'Hall',
          venue: '',
          description: '',
          totalSeats: 40,
          sections: [
            { name: 'VIP', rows: 1, seatsPerRow: 20, price: 150000 },
            { name: 'R', rows: 1, seatsPerRow: 20, price: 99000 },
          ],
        },
      ],
    });
    const create = vi.spyOn(api.admin, 'createEvent').mockRejectedValue(
      new ApiError(422, 'VALIDATION_FAILED', 'x', { 'gradePrices[1].price': '1~10,000,000 범위의 값을 입력해 주세요.' }),
    );
    render(
      <I18nProvider>
        <MemoryRouter>
          <EventForm />
        </MemoryRouter>
      </I18nProvider>,
    );
    const vip = (await screen.findByLabelText('VIP 가격 (원)')) as HTMLInputElement;
    const r = screen.getByLabelText('R 가격 (원)') as HTMLInputElement;
    expect([vip.value, r.value]).toEqual(['150000', '99000']);
    fireEvent.change(vip, { target: { value: '200000' } });
    fireEvent.change(r, { target: { value: '0' } });
    fireEvent.submit(screen.getByTestId('event-form'));
    await waitFor(() => expect(screen.getByText('1~10,000,000 범위의 값을 입력해 주세요.')).toBeTruthy());
    expect(create.mock.calls[0][0]).toMatchObject({
      layoutId: 'l1',
      gradePrices: [
        { grade: 'VIP', price: 200000 },
        { grade: 'R', price: 0 },
      ],
    });
  });
});
