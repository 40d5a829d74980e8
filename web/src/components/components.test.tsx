import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Layout, Seat } from '../api/models';
import { I18nProvider } from '../i18n/I18n';
import { placeSeats } from '../lib/seatLayout';
import { Countdown } from './common';
import { Poster } from './Poster';
import { SeatCanvas, type StatusMap } from './SeatCanvas';

afterEach(cleanup);

describe('Countdown', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ticks down and fires onExpire once at zero', () => {
    vi.setSystemTime(Date.parse('2025-10-31T00:00:00Z'));
    const onExpire = vi.fn();
    render(<Countdown expiresAt="2025-10-31T09:00:03+09:00" onExpire={onExpire} label="hold" />);
    expect(screen.getByTestId('countdown').textContent).toBe('0:03');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(screen.getByTestId('countdown').textContent).toBe('0:02');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByTestId('countdown').textContent).toBe('0:00');
    act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(onExpire).toHaveBeenCalledTimes(1);
  });
});

describe('SeatCanvas', () => {
  const layout: Layout = {
    id: 'l',
    name: 'L',
    description: '',
    venue: '',
    totalSeats: 4,
    sections: [{ name: 'VIP', rows: 1, seatsPerRow: 4, price: 150000, color: '#8b5cf6' }],
  };
  const seats: Seat[] = [1, 2, 3, 4].map((n) => ({ id: `s${n}`, section: 'VIP', row: 'A', number: n, price: 150000, status: n === 2 ? 'held' : 'available' }));
  const geometry = placeSeats(layout, seats);
  const statuses: StatusMap = { VIP: Object.fromEntries(seats.map((s) => [s.id, s.status])) };
  const labelOf = (id: string, status: string, sel: boolean) => `${id} ${sel ? 'selected' : status}`;

  function renderMap(sel: string[], onToggle = vi.fn(), st = statuses) {
    return render(
      <I18nProvider>
        <SeatCanvas
          geometry={geometry}
          statuses={st}
          selected={sel}
          onToggle={onToggle}
          labelOf={labelOf}
          stageLabel="STAGE"
          mapLabel="map"
          zoomLabels={{ in: '+', out: '-', fit: 'fit' }}
        />
      </I18nProvider>,
    );
  }

  it('renders labelled seat buttons with their status, one in the tab order', () => {
    renderMap(['s3']);
    const buttons = screen.getAllByRole('button', { name: /^s\d/ });
    expect(buttons).toHaveLength(4);
    expect(screen.getByRole('button', { name: 's2 held' }).getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('button', { name: 's3 selected' }).getAttribute('aria-pressed')).toBe('true');
    expect(buttons.filter((b) => b.getAttribute('tabindex') === '0')).toHaveLength(1);
  });

  it('toggles with a click and with Enter, moves with arrows', () => {
    const onToggle = vi.fn();
    renderMap([], onToggle);
    fireEvent.click(screen.getByRole('button', { name: 's1 available' }));
    expect(onToggle).toHaveBeenCalledWith('s1');
    fireEvent.keyDown(screen.getByRole('button', { name: 's1 available' }), { key: 'ArrowRight' });
    expect(screen.getByRole('button', { name: 's2 held' }).getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(screen.getByRole('button', { name: 's2 held' }), { key: 'Enter' });
    expect(onToggle).toHaveBeenLastCalledWith('s2');
  });

  it('shows a live status change', () => {
    const { rerender } = renderMap([]);
    const changed: StatusMap = { VIP: { ...statuses.VIP, s4: 'sold' } };
    rerender(
      <I18nProvider>
        <SeatCanvas geometry={geometry} statuses={changed} selected={[]} onToggle={vi.fn()} labelOf={labelOf} stageLabel="STAGE" mapLabel="map" zoomLabels={{ in: '+', out: '-', fit: 'fit' }} />
      </I18nProvider>,
    );
    expect(screen.getByRole('button', { name: 's4 sold' }).getAttribute('data-status')).toBe('sold');
  });
});

describe('Poster', () => {
  it('offers every uploaded width in srcset, the widest as src', () => {
    const { container } = render(
      <Poster
        event={{
          id: 'e1',
          title: 'Night',
          artist: 'Nova',
          posterUrl: '/media/posters/c.jpg',
          posterImages: [
            { url: '/media/posters/a.jpg', width: 320, height: 480 },
            { url: '/media/posters/b.jpg', width: 640, height: 960 },
            { url: '/media/posters/c.jpg', width: 1280, height: 1920 },
          ],
        }}
        sizes="320px"
      />,
    );
    const img = container.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('/media/posters/c.jpg');
    expect(img.getAttribute('srcset')).toBe('/media/posters/a.jpg 320w, /media/posters/b.jpg 640w, /media/posters/c.jpg 1280w');
    expect(img.getAttribute('sizes')).toBe('320px');
  });

  it('shows a pasted URL as is, and a generated cover without one', () => {
    const pasted = render(<Poster event={{ id: 'e2', title: 'T', artist: 'A', posterUrl: 'https://cdn.example.com/p.jpg', posterImages: [] }} />);
    const img = pasted.container.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('https://cdn.example.com/p.jpg');
    expect(img.hasAttribute('srcset')).toBe(false);
    cleanup();
    const none = render(<Poster event={{ id: 'e3', title: 'T', artist: 'Nova', posterUrl: null }} />);
    expect(none.container.querySelector('img')).toBeNull();
    expect(none.container.textContent).toBe('Nova');
  });
});
