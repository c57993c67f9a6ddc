import { useEffect, useState } from "react";

type ProfileData = { display_name: string; locale: string; avatar_url: string | null };

export default function Profile() {
  const [profile, setProfile] = useState<ProfileData | null>(null);

  useEffect(() => {
    fetch("/profile").then((r) => r.json()).then(setProfile);
  }, []);

  if (!profile) return <p>Loading…</p>;
  return (
    <form className="profile">
      <label>
        Display name
        <input defaultValue={profile.display_name} />
      </label>
    </form>
  );
}
