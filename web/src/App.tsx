import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';

import { useAuth } from './auth/Auth';
import { Loading } from './components/common';
import { Shell } from './components/Shell';
import { useI18n } from './i18n/I18n';
import AdminAudit from './pages/admin/AdminAudit';
import AdminCheckin from './pages/admin/AdminCheckin';
import AdminEvents from './pages/admin/AdminEvents';
import AdminLayout from './pages/admin/AdminLayout';
import AdminReservations from './pages/admin/AdminReservations';
import Dashboard from './pages/admin/Dashboard';
import EventForm from './pages/admin/EventForm';
import { Login, Register } from './pages/Auth';
import Checkout from './pages/Checkout';
import Confirmation from './pages/Confirmation';
import EventDetail from './pages/EventDetail';
import Gate from './pages/Gate';
import Home from './pages/Home';
import { MyReservations, ReservationDetail } from './pages/MyReservations';
import SeatMap from './pages/SeatMap';
import WaitingRoom from './pages/WaitingRoom';

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
          <Route path="reservations" element={<AdminReservations />} />
          <Route path="audit" element={<AdminAudit />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}
