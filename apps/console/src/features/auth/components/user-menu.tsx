import '../auth.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../../lib/api-error.ts';
import { useSession } from '../../../lib/session.ts';
import { toast } from '../../../components/ui/toaster.tsx';
import { signOut } from '../api/auth.api.ts';

/** The header's signed-in user and role, with Sign out. */
export function UserMenu() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const mutation = useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      queryClient.clear();
      void navigate('/sign-in', { replace: true });
    },
    onError: (error) => toast(`Could not sign out: ${errorMessage(error)}`),
  });
  if (!session.data?.signedIn) return null;
  const { user } = session.data;
  return (
    <div className="user-menu">
      <span className="user-menu__name" aria-label="Signed in as">
        {user.name} <span className="muted">({user.role})</span>
      </span>
      <button
        type="button"
        className="button"
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
      >
        Sign out
      </button>
    </div>
  );
}
