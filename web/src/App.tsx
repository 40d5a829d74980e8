import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';

import { useAuth } from './auth/Auth';
import { Loading } from './components/common';
import { Shell } from './components/Shell';
import { useI18n } from './i18n/I18n';
import { Login, Register } from './pages/Auth';
import EventDetail from './pages/EventDetail';
import Home from './pages/Home';

// Code splitting: a fan landing on the list or an event page downloads only those; the
// seat map, checkout (with the QR code library), the fan's bookings and the organizer's
// console load when first opened.
const AdminAudit = lazy(() => import('./pages/admin/AdminAudit'));
const AdminCheckin = lazy(() => import('./pages/admin/AdminCheckin'));
const AdminEvents = lazy(() => import('./pages/admin/AdminEvents'));
const AdminLayout = lazy(() => import('./pages/admin/AdminLayout'));
const AdminReservations = lazy(() => import('./pages/admin/AdminReservations'));
const Dashboard = lazy(() => import('./pages/admin/Dashboard'));
const EventForm = lazy(() => import('./pages/admin/EventForm'));
const LayoutEditor = lazy(() => import('./pages/admin/LayoutEditor'));
const Checkout = lazy(() => import('./pages/Checkout'));
const Confirmation = lazy(() => import('./pages/Confirmation'));
const Gate = lazy(() => import('./pages/Gate'));
const MyReservations = lazy(() => import('./pages/MyReservations').then((m) => ({ default: m.MyReservations })));
const ReservationDetail = lazy(() =>
  import('./pages/MyReservations').then((m) => ({ default: m.ReservationDetail })),
);
const SeatMap = lazy(() => import('./pages/SeatMap'));
const WaitingRoom = lazy(() => import('./pages/WaitingRoom'));

/** Pages that need a signed-in fan send others to the login page and back. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, ready } = useAuth();
  const location = useLocation();
  if (!user && !ready) return <Loading />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function NotFound() {
  const { t } = useI18n();
  return <p className="notice bad">{t('common.notFound')}</p>;
}

export default function App() {
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/events/:id" element={<EventDetail />} />
        <Route path="/events/:id/queue" element={<RequireUser><WaitingRoom /></RequireUser>} />
        <Route path="/events/:id/seats" element={<RequireUser><SeatMap /></RequireUser>} />
        <Route path="/checkout/:id" element={<RequireUser><Checkout /></RequireUser>} />
        <Route path="/reservations/:id/confirmation" element={<RequireUser><Confirmation /></RequireUser>} />
        <Route path="/my" element={<RequireUser><MyReservations /></RequireUser>} />
        <Route path="/my/:id" element={<RequireUser><ReservationDetail /></RequireUser>} />
        <Route path="/gate" element={<RequireUser><Gate /></RequireUser>} />
        <Route path="/login" element={<Login />} />
        <Route path="/register" element={<Register />} />
        <Route path="/admin" element={<AdminLayout />}>
          <Route index element={<Dashboard />} />
          <Route path="events" element={<AdminEvents />} />
          <Route path="events/new" element={<EventForm />} />
          <Route path="events/:id/edit" element={<EventForm />} />
          <Route path="events/:id/checkin" element={<AdminCheckin />} />
          <Route path="layouts/new" element={<LayoutEditor />} />
          <Route path="reservations" element={<AdminReservations />} />
          <Route path="audit" element={<AdminAudit />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
      </Suspense>
    </Shell>
  );
}
