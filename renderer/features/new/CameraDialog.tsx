import {
  Alert,
  Button,
  Checkbox,
  Group,
  Image,
  Modal,
  Select,
  SimpleGrid,
  Slider,
  Stack,
  Text,
} from '@mantine/core';
import { IconCamera, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** ID-1 cards (carta d’identità, tessera sanitaria) are 85.6 × 54 mm. */
const CARD_RATIO = 85.6 / 54;
const CAMERA_KEY = 'sportello.camera';

interface Shot {
  url: string;
  blob: Blob;
}

interface Props {
  opened: boolean;
  title: string;
  /** Fronte and retro, or one page. */
  sides: 1 | 2;
  onClose: () => void;
  onDone: (files: File[]) => void;
}

/**
 * Photographing a document at the counter with a document camera or webcam: a framing guide the
 * size of a card, fronte then retro, retake, brightness, crop to the guide. The photos go to the
 * attachment pipeline like any dropped image (main rotates, compresses and merges them).
 */
export function CameraDialog({ opened, title, sides, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | null>(() => localStorage.getItem(CAMERA_KEY));
  const [error, setError] = useState<string | null>(null);
  const [shots, setShots] = useState<Shot[]>([]);
  const [brightness, setBrightness] = useState(100);
  const [crop, setCrop] = useState(true);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!opened) return;
    let stream: MediaStream | null = null;
    let live = true;
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: deviceId
            ? { deviceId: { exact: deviceId }, width: { ideal: 1920 } }
            : { width: { ideal: 1920 } },
          audio: false,
        });
        if (!live) return stream.getTracks().forEach((track) => track.stop());
        if (video.current) {
          video.current.srcObject = stream;
          await video.current.play().catch(() => undefined);
        }
        const all = await navigator.mediaDevices.enumerateDevices();
        if (live) {
          setDevices(all.filter((d) => d.kind === 'videoinput'));
          setError(null);
          setReady(true);
        }
      } catch (e) {
        if (live) setError(cameraProblem(t, e));
      }
    })();
    return () => {
      live = false;
      setReady(false);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [opened, deviceId, t]);

  const take = useCallback(async () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    let sx = 0;
    let sy = 0;
    let sw = v.videoWidth;
    let sh = v.videoHeight;
    if (crop) {
      // The guide covers 80% of the width, centred, at the card's ratio.
      const gw = v.videoWidth * 0.8;
      const gh = Math.min(v.videoHeight * 0.9, gw / CARD_RATIO);
      sx = (v.videoWidth - gw) / 2;
      sy = (v.videoHeight - gh) / 2;
      sw = gw;
      sh = gh;
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(sw);
    canvas.height = Math.round(sh);
    const context = canvas.getContext('2d');
    if (!context) return;
    context.filter = `brightness(${brightness}%)`;
    context.drawImage(v, sx, sy, sw, sh, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    if (blob) setShots((list) => [...list, { blob, url: URL.createObjectURL(blob) }].slice(0, sides));
  }, [brightness, crop, sides]);

  const retake = (index: number) =>
    setShots((list) => {
      URL.revokeObjectURL(list[index]!.url);
      return list.filter((_, i) => i !== index);
    });

  const finish = () => {
    const names = sides === 2 ? ['fronte', 'retro'] : ['foto'];
    onDone(
      shots.map((s, i) => new File([s.blob], `${names[i] ?? 'foto'}-fotocamera.jpg`, { type: 'image/jpeg' })),
    );
    close();
  };
  const close = () => {
    shots.forEach((s) => URL.revokeObjectURL(s.url));
    setShots([]);
    onClose();
  };

  const next = sides === 2 ? (shots.length === 0 ? t('camera.front') : t('camera.back')) : t('camera.photo');
  return (
    <Modal opened={opened} onClose={close} title={title} size="xl" data-testid="camera-dialog">
      <Stack>
        {error && <Alert color="red">{error}</Alert>}
        {devices.length > 1 && (
          <Select
            label={t('camera.device')}
            data={devices.map((d, i) => ({
              value: d.deviceId,
              label: d.label || `${t('camera.device')} ${i + 1}`,
            }))}
            value={deviceId}
            onChange={(value) => {
              setDeviceId(value);
              if (value) localStorage.setItem(CAMERA_KEY, value);
            }}
          />
        )}
        <div style={{ position: 'relative', background: '#111', borderRadius: 8, overflow: 'hidden' }}>
          <video
            ref={video}
            muted
            playsInline
            style={{ width: '100%', display: 'block', filter: `brightness(${brightness}%)` }}
            aria-label={t('camera.preview')}
          />
          {/* The framing guide: where to put the card. */}
          <div
            aria-hidden
            style={{
              position: 'absolute',
              left: '10%',
              width: '80%',
              top: '50%',
              aspectRatio: String(CARD_RATIO),
              transform: 'translateY(-50%)',
              border: '3px dashed rgba(255,255,255,0.9)',
              borderRadius: 12,
              boxShadow: '0 0 0 9999px rgba(0,0,0,0.35)',
            }}
          />
        </div>
        <Group grow align="flex-end">
          <Stack gap={2}>
            <Text size="sm">{t('camera.brightness')}</Text>
            <Slider
              min={60}
              max={160}
              value={brightness}
              onChange={setBrightness}
              label={(v) => `${v}%`}
              aria-label={t('camera.brightness')}
            />
          </Stack>
          <Checkbox
            label={t('camera.crop')}
            checked={crop}
            onChange={(e) => setCrop(e.currentTarget.checked)}
          />
        </Group>
        {shots.length > 0 && (
          <SimpleGrid cols={2}>
            {shots.map((s, i) => (
              <Stack key={s.url} gap={4}>
                <Text size="sm" fw={500}>
                  {sides === 2 ? (i === 0 ? t('camera.front') : t('camera.back')) : t('camera.photo')}
                </Text>
                <Image
                  src={s.url}
                  radius="sm"
                  alt={`${t('camera.shot')} ${sides === 2 ? (i === 0 ? t('camera.front') : t('camera.back')) : ''}`.trim()}
                />
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconRefresh size={14} aria-hidden />}
                  aria-label={t('camera.retakeLabel', {
                    side: sides === 2 ? (i === 0 ? t('camera.front') : t('camera.back')) : t('camera.photo'),
                  })}
                  onClick={() => retake(i)}
                >
                  {t('camera.retake')}
                </Button>
              </Stack>
            ))}
          </SimpleGrid>
        )}
        <Group justify="space-between">
          <Button variant="default" onClick={close}>
            {t('common.back')}
          </Button>
          <Group>
            {shots.length < sides && (
              <Button
                leftSection={<IconCamera size={18} />}
                onClick={() => void take()}
                disabled={!ready}
                data-autofocus
              >
                {t('camera.take', { side: next })}
              </Button>
            )}
            <Button
              onClick={finish}
              disabled={shots.length === 0}
              variant={shots.length < sides ? 'light' : 'filled'}
            >
              {t('camera.use', { count: shots.length })}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

function cameraProblem(t: (k: string) => string, error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return t('camera.denied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return t('camera.none');
  if (name === 'NotReadableError') return t('camera.busy');
  return t('camera.failed');
}
