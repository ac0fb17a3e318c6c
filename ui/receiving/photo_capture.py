"""Photos of the unit at intake: taken with the station's camera or chosen from files.

The camera is Qt Multimedia's: a :class:`QCamera` on the station's default video input, shown in
a :class:`QVideoWidget` and captured by a :class:`QImageCapture` to memory (never to a file on
this PC). Each capture and each file goes to the database through
:func:`app.receiving.photos.store_photo`, so every station sees it. A station without a camera
says so, and files still work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.receiving.photos import attach_photo, store_photo
from ui.i18n import domain_message
from ui.ops import FloorOp

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QCameraDevice

JPEG_QUALITY = 90


def jpeg_bytes(image: QImage) -> bytes:
    """The captured frame as JPEG bytes, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", JPEG_QUALITY)
    buffer.close()
    return bytes(data.data())


def default_camera() -> QCameraDevice | None:
    """The station's default camera, or None when it has none (tests replace this)."""
    from PySide6.QtMultimedia import QMediaDevices

    device = QMediaDevices.defaultVideoInput()
    return None if device.isNull() else device


class PhotoDialog(QDialog):
    """Take or choose photos of one order; ``stored(count)`` after each photo saved."""

    stored = Signal(int)

    def __init__(self, ctx: Context, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoDialog")
        self.ctx = ctx
        self.order_id = order_id
        self.count = 0
        self.camera = None
        self.capture = None
        self.setWindowTitle(self.tr("Photos of the unit"))
        self.take_button = QPushButton(self.tr("Take photo (Space)"), self)
        self.take_button.setObjectName("takePhotoButton")
        self.take_button.setShortcut(Qt.Key.Key_Space)
        self.take_button.clicked.connect(self.take_photo)
        self.files_button = QPushButton(self.tr("From files…"), self)
        self.files_button.setObjectName("photoFilesButton")
        self.files_button.clicked.connect(self.add_files)
        self.status = QLabel(self)
        self.status.setObjectName("photoStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.take_button)
        row.addWidget(self.files_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._camera_view(), 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 600)

    def _camera_view(self) -> QWidget:
        device = default_camera()
        if device is None:
            self.take_button.setEnabled(False)
            label = QLabel(
                self.tr("No camera is found on this station: add photos from files."), self
            )
            label.setObjectName("noCameraLabel")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return label
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        view = QVideoWidget(self)
        view.setObjectName("cameraView")
        self.camera = QCamera(device, self)
        self.capture = QImageCapture(self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(view)
        self.capture.imageCaptured.connect(lambda _id, image: self.store_image(image))
        self.capture.errorOccurred.connect(lambda _id, _error, text: self.status.setText(text))
        self.camera.errorOccurred.connect(lambda _error, text: self._camera_failed(text))
        self.camera.start()
        return view

    def _camera_failed(self, text: str) -> None:
        self.take_button.setEnabled(False)
        self.status.setText(self.tr("The camera does not work: {error}").format(error=text))

    def take_photo(self) -> None:
        if self.capture is not None and self.capture.isReadyForCapture():
            self.capture.capture()

    def store_image(self, image: QImage) -> None:
        """A captured frame: stored as JPEG (named by the order and the count, never a time)."""
        data = jpeg_bytes(image)
        name = f"camera-{self.count + 1}.jpg"
        ctx, order_id = self.ctx, self.order_id
        self._store(lambda: store_photo(ctx, order_id, data, name=name))

    def choose_files(self) -> list[Path]:
        """The file dialog (tests replace it)."""
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Photos of the unit"),
            "",
            self.tr("Pictures (*.jpg *.jpeg *.png *.bmp *.webp)"),
        )
        return [Path(name) for name in files]

    def add_files(self) -> None:
        ctx, order_id = self.ctx, self.order_id
        for path in self.choose_files():
            self._store(lambda path=path: attach_photo(ctx, order_id, path))

    def _store(self, work) -> None:  # type: ignore[no-untyped-def]
        FloorOp(self, work).success(lambda _photo_id: self._stored()).failure(
            self._refused
        ).run_in_background()

    def _stored(self) -> None:
        self.count += 1
        self.status.setText(self.tr("{count} photo(s) saved.").format(count=self.count))
        self.stored.emit(self.count)

    def _refused(self, error: DomainError) -> None:
        self.status.setText(domain_message(error))

    def done(self, result: int) -> None:
        if self.camera is not None:
            self.camera.stop()
        super().done(result)
